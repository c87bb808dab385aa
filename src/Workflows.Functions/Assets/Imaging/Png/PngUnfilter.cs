using System.Runtime.CompilerServices;
using System.Numerics;

namespace Workflows.Assets.Imaging.Png;

/// <summary>Reverses a PNG row filter (None, Sub, Up, Average, Paeth) in place, given the unfiltered row above.</summary>
internal static class PngUnfilter
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Unfilter(byte filter, Span<byte> row, ReadOnlySpan<byte> above, int bpp)
    {
        switch (filter)
        {
            case 0:
                break;
            case 1:
                for (int i = bpp; i < row.Length; i++) { row[i] += row[i - bpp]; }
                break;
            case 2:
                AddUp(row, above);
                break;
            case 3:
                for (int i = 0; i < bpp; i++) { row[i] += (byte)(above[i] >> 1); }
                for (int i = bpp; i < row.Length; i++) { row[i] += (byte)((row[i - bpp] + above[i]) >> 1); }
                break;
            case 4:
                for (int i = 0; i < bpp; i++) { row[i] += above[i]; }
                for (int i = bpp; i < row.Length; i++)
                {
                    int a = row[i - bpp], b = above[i], c = above[i - bpp];
                    int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                    row[i] += (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
                }

                break;
            default:
                throw new InvalidDataException("filter type out of range");
        }
    }

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
