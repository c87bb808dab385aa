using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Workflows.Assets.Imaging.Png;

/// <summary>
/// Writes premultiplied samples of 1-4 channels (grey, grey+alpha, RGB, RGBA) as 4-byte RGBA or BGRA pixels:
/// as they are (<see cref="Write"/>) or as the rounded averages of block sums (<see cref="Average"/>).
/// </summary>
internal static class PngPixelWriter
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Write(ReadOnlySpan<byte> samples, int channels, bool bgra, Span<byte> target)
    {
        ref byte s = ref MemoryMarshal.GetReference(samples);
        ref byte t = ref MemoryMarshal.GetReference(target);
        int pixels = target.Length / 4;
        switch (channels)
        {
            case 1:
                for (int x = 0; x < pixels; x++)
                {
                    uint v = Unsafe.Add(ref s, x);
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref t, 4 * x), Pack(v, v, v, 255, bgra));
                }

                break;
            case 2:
                for (int x = 0; x < pixels; x++)
                {
                    uint v = Unsafe.Add(ref s, 2 * x);
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref t, 4 * x), Pack(v, v, v, Unsafe.Add(ref s, (2 * x) + 1), bgra));
                }

                break;
            case 3:
                for (int x = 0; x < pixels; x++)
                {
                    ref byte p = ref Unsafe.Add(ref s, 3 * x);
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref t, 4 * x), Pack(p, Unsafe.Add(ref p, 1), Unsafe.Add(ref p, 2), 255, bgra));
                }

                break;
            default:
                for (int x = 0; x < pixels; x++)
                {
                    ref byte p = ref Unsafe.Add(ref s, 4 * x);
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref t, 4 * x), Pack(p, Unsafe.Add(ref p, 1), Unsafe.Add(ref p, 2), Unsafe.Add(ref p, 3), bgra));
                }

                break;
        }
    }

    /// <summary>
    /// Each output pixel is the rounded mean of its block: <paramref name="factor"/> columns (fewer at the right edge)
    /// of <paramref name="sums"/>, each already summed down <paramref name="rows"/> rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Average(ReadOnlySpan<ushort> sums, int channels, int width, int factor, int rows, bool bgra, Span<byte> target)
    {
        ref ushort s = ref MemoryMarshal.GetReference(sums);
        ref byte t = ref MemoryMarshal.GetReference(target);
        int whole = width / factor;
        Reciprocal(rows * factor, out ulong m, out uint half);
        int stride = factor * channels;
        if (factor == 2 && channels >= 3)
        {
            Pairs(ref s, ref t, whole, channels, m, half, bgra);
        }
        else
        {
            for (int x = 0; x < whole; x++)
            {
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref t, 4 * x), Block(ref Unsafe.Add(ref s, x * stride), channels, factor, m, half, bgra));
            }
        }

        if (whole * factor < width)
        {
            Reciprocal(rows * (width - (whole * factor)), out m, out half);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref t, 4 * whole), Block(ref Unsafe.Add(ref s, whole * stride), channels, width - (whole * factor), m, half, bgra));
        }
    }

    // Factor 2, RGB or RGBA (most photos: 3200-4799 px wide for 1600): the block's two columns added without a loop.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pairs(ref ushort s, ref byte t, int blocks, int channels, ulong m, uint half, bool bgra)
    {
        int stride = 2 * channels;
        for (int x = 0; x < blocks; x++)
        {
            ref ushort p = ref Unsafe.Add(ref s, x * stride);
            ref ushort q = ref Unsafe.Add(ref p, channels);
            uint r = Divide((uint)p + q, m, half);
            uint g = Divide((uint)Unsafe.Add(ref p, 1) + Unsafe.Add(ref q, 1), m, half);
            uint b = Divide((uint)Unsafe.Add(ref p, 2) + Unsafe.Add(ref q, 2), m, half);
            uint a = channels == 3 ? 255 : Divide((uint)Unsafe.Add(ref p, 3) + Unsafe.Add(ref q, 3), m, half);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref t, 4 * x), Pack(r, g, b, a, bgra));
        }
    }

    // One block's sums across its columns, divided by the count (the multiply by m, see Reciprocal).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Block(ref ushort s, int channels, int columns, ulong m, uint half, bool bgra)
    {
        uint s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        switch (channels)
        {
            case 1:
                for (int k = 0; k < columns; k++) { s0 += Unsafe.Add(ref s, k); }
                return Pack(Divide(s0, m, half), Divide(s0, m, half), Divide(s0, m, half), 255, bgra);
            case 2:
                for (int k = 0; k < 2 * columns; k += 2) { s0 += Unsafe.Add(ref s, k); s1 += Unsafe.Add(ref s, k + 1); }
                return Pack(Divide(s0, m, half), Divide(s0, m, half), Divide(s0, m, half), Divide(s1, m, half), bgra);
            case 3:
                for (int k = 0; k < 3 * columns; k += 3) { s0 += Unsafe.Add(ref s, k); s1 += Unsafe.Add(ref s, k + 1); s2 += Unsafe.Add(ref s, k + 2); }
                return Pack(Divide(s0, m, half), Divide(s1, m, half), Divide(s2, m, half), 255, bgra);
            default:
                for (int k = 0; k < 4 * columns; k += 4)
                {
                    s0 += Unsafe.Add(ref s, k); s1 += Unsafe.Add(ref s, k + 1); s2 += Unsafe.Add(ref s, k + 2); s3 += Unsafe.Add(ref s, k + 3);
                }

                return Pack(Divide(s0, m, half), Divide(s1, m, half), Divide(s2, m, half), Divide(s3, m, half), bgra);
        }
    }

    /// <summary>
    /// For (sum + count / 2) / count with a multiply: m = ⌈2³² / count⌉ gives ⌊x · m / 2³²⌋ = ⌊x / count⌋ for every
    /// x below 2¹⁶ (the error m · count − 2³² is below count ≤ 64 ≤ 2¹⁶); a sum is at most 64 × 255.
    /// </summary>
    internal static void Reciprocal(int count, out ulong m, out uint half)
    {
        m = ((1UL << 32) + (ulong)count - 1) / (ulong)count;
        half = (uint)count / 2;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint Divide(uint sum, ulong m, uint half) => (uint)(((sum + half) * m) >> 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Pack(uint r, uint g, uint b, uint a, bool bgra) =>
        BitConverter.IsLittleEndian
            ? (bgra ? b | (g << 8) | (r << 16) : r | (g << 8) | (b << 16)) | (a << 24)
            : ((bgra ? (b << 24) | (g << 16) | (r << 8) : (r << 24) | (g << 16) | (b << 8)) | a);
}
