namespace Workflows.Assets.Imaging;

/// <summary>Turns one decoded TIFF row (1, 2, 4, 8 or 16 bits per sample) into RGBA bytes by each sample's role.</summary>
internal static class TiffSamples
{
    /// <summary>
    /// Writes <paramref name="target"/>'s pixels from <paramref name="row"/>: every sample of each pixel when
    /// chunky (<paramref name="plane"/> = -1), or the one sample <paramref name="plane"/> holds when planar.
    /// Colour roles also set alpha opaque; an alpha sample comes later in either layout and overwrites it.
    /// </summary>
    public static void ToRgba(TiffLayout layout, ReadOnlySpan<byte> row, int plane, Span<byte> target)
    {
        int pixels = target.Length / 4;
        int stride = plane < 0 ? layout.SamplesPerPixel : 1;
        int first = plane < 0 ? 0 : plane;
        int last = plane < 0 ? layout.SamplesPerPixel - 1 : plane;
        for (int sample = first; sample <= last; sample++)
        {
            TiffSampleRole role = layout.Roles[sample];
            int offset = plane < 0 ? sample : 0;
            for (int x = 0; x < pixels; x++)
            {
                int value = Read(layout, row, x * stride + offset, role == TiffSampleRole.PaletteIndex);
                Span<byte> pixel = target.Slice(4 * x, 4);
                switch (role)
                {
                    case TiffSampleRole.Gray or TiffSampleRole.InvertedGray:
                        byte gray = (byte)(role == TiffSampleRole.Gray ? value : 255 - value);
                        (pixel[0], pixel[1], pixel[2], pixel[3]) = (gray, gray, gray, 255);
                        break;
                    case TiffSampleRole.PaletteIndex:
                        (pixel[0], pixel[1], pixel[2], pixel[3]) = (layout.Palette![3 * value], layout.Palette[3 * value + 1], layout.Palette[3 * value + 2], 255);
                        break;
                    case TiffSampleRole.Red:
                        (pixel[0], pixel[3]) = ((byte)value, 255);
                        break;
                    case TiffSampleRole.Green:
                        pixel[1] = (byte)value;
                        break;
                    case TiffSampleRole.Blue:
                        pixel[2] = (byte)value;
                        break;
                    case TiffSampleRole.Alpha:
                        pixel[3] = (byte)value;
                        break;
                    default:
                        break; // an extra sample that is not alpha
                }
            }
        }
    }

    /// <summary>
    /// Sample <paramref name="index"/> of the row as 8 bits: 16-bit samples keep their high byte; 1-, 2- and 4-bit
    /// ones (MSB first) are scaled to 0-255, except palette indexes, which stay indexes.
    /// </summary>
    private static int Read(TiffLayout layout, ReadOnlySpan<byte> row, int index, bool isIndex)
    {
        int bits = layout.BitsPerSample;
        switch (bits)
        {
            case 8:
                return row[index];
            case 16:
                return row[2 * index + (layout.LittleEndian ? 1 : 0)];
            default:
                int bit = index * bits;
                int max = (1 << bits) - 1;
                int value = (row[bit >> 3] >> (8 - bits - (bit & 7))) & max;
                return isIndex ? value : value * 255 / max;
        }
    }
}
