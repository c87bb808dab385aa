using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Workflows.Assets.Imaging.Png;

/// <summary>
/// Reverses a PNG row filter (None, Sub, Up, Average, Paeth) in place, given the unfiltered row above. Up adds a
/// vector at a time; Sub, Average and Paeth depend on the pixel to the left, so for 3 and 4 bytes a pixel they take
/// one pixel's channels a vector at a time (as libpng's and libspng's SSE2 code does) and for 1 and 2 bytes a pixel
/// run <see cref="UnfilterScalar"/>, the byte-at-a-time definition.
/// </summary>
internal static class PngUnfilter
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Unfilter(byte filter, Span<byte> row, ReadOnlySpan<byte> above, int bpp)
    {
        if (filter == 2)
        {
            AddUp(row, above);
        }
        else if (filter is 1 or 3 or 4 && bpp >= 3 && Vector128.IsHardwareAccelerated)
        {
            // Every pixel but a 3-byte row's last is read as 4 bytes (the 4th is the next pixel's).
            int vectorBytes = bpp == 4 ? row.Length : row.Length - 3;
            ByPixel(filter, row, above, bpp, vectorBytes);
            if (vectorBytes < row.Length)
            {
                UnfilterScalar(filter, row, above, bpp, vectorBytes);
            }
        }
        else
        {
            UnfilterScalar(filter, row, above, bpp, 0);
        }
    }

    /// <summary>The filter's definition, byte by byte, from byte <paramref name="start"/> on (the bytes before it already unfiltered).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void UnfilterScalar(byte filter, Span<byte> row, ReadOnlySpan<byte> above, int bpp, int start)
    {
        switch (filter)
        {
            case 0:
                break;
            case 1:
                for (int i = Math.Max(start, bpp); i < row.Length; i++) { row[i] += row[i - bpp]; }
                break;
            case 2:
                for (int i = start; i < row.Length; i++) { row[i] += above[i]; }
                break;
            case 3:
                for (int i = start; i < row.Length; i++) { row[i] += (byte)(((i >= bpp ? row[i - bpp] : 0) + above[i]) >> 1); }
                break;
            case 4:
                for (int i = start; i < row.Length; i++)
                {
                    int a = i >= bpp ? row[i - bpp] : 0, b = above[i], c = i >= bpp ? above[i - bpp] : 0;
                    int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                    row[i] += (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
                }

                break;
            default:
                throw new InvalidDataException("filter type out of range");
        }
    }

    // Sub, Average or Paeth on the first `bytes` bytes, one pixel's channels as the low 4 of 8 16-bit lanes; the left
    // (a) and upper-left (c) pixels carried in registers from the previous step, both 0 for the first pixel.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ByPixel(byte filter, Span<byte> row, ReadOnlySpan<byte> above, int bpp, int bytes)
    {
        ref byte r = ref MemoryMarshal.GetReference(row);
        ref byte u = ref MemoryMarshal.GetReference(above);
        Vector128<short> channels = bpp == 4 ? Vector128.Create(-1, -1, -1, -1, 0, 0, 0, 0) : Vector128.Create(-1, -1, -1, 0, 0, 0, 0, 0);
        Vector128<short> low = Vector128.Create((short)0xFF);
        Vector128<short> a = Vector128<short>.Zero, c = Vector128<short>.Zero;
        for (int i = 0; i < bytes; i += bpp)
        {
            Vector128<short> raw = Load(ref Unsafe.Add(ref r, i));
            Vector128<short> b = filter == 1 ? default : Load(ref Unsafe.Add(ref u, i));
            Vector128<short> predictor;
            if (filter == 1)
            {
                predictor = a;
            }
            else if (filter == 3)
            {
                predictor = Vector128.ShiftRightLogical(a + b, 1);
            }
            else
            {
                // The nearest of a, b, c to a + b - c, ties in that order: |p - a| = |b - c|, |p - b| = |a - c|, |p - c| = |b - c + a - c|.
                Vector128<short> pa = Vector128.Abs(b - c), pb = Vector128.Abs(a - c), pc = Vector128.Abs(b - c + (a - c));
                Vector128<short> smallest = Vector128.Min(pc, Vector128.Min(pa, pb));
                predictor = Vector128.ConditionalSelect(Vector128.Equals(pa, smallest), a, Vector128.ConditionalSelect(Vector128.Equals(pb, smallest), b, c));
            }

            a = (raw + (predictor & channels)) & low;
            c = b;
            uint pixel = Vector128.Narrow(a.AsUInt16(), a.AsUInt16()).AsUInt32().ToScalar();
            if (bpp == 4)
            {
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref r, i), pixel);
            }
            else
            {
                // 3 bytes, so the next pixel's 4-byte load does not overlap this store (a store-forwarding stall: 10× slower).
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref r, i), (ushort)pixel);
                Unsafe.Add(ref r, i + 2) = (byte)(pixel >> 16);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> Load(ref byte source) =>
        Vector128.WidenLower(Vector128.CreateScalar(Unsafe.ReadUnaligned<uint>(ref source)).AsByte()).AsInt16();

    // Up filter: byte-wise wrap-around add, a vector at a time.
    private static void AddUp(Span<byte> row, ReadOnlySpan<byte> above)
    {
        int i = 0;
        for (; i <= row.Length - Vector<byte>.Count; i += Vector<byte>.Count)
        {
            (new Vector<byte>(row[i..]) + new Vector<byte>(above[i..])).CopyTo(row[i..]);
        }

        for (; i < row.Length; i++) { row[i] += above[i]; }
    }
}
