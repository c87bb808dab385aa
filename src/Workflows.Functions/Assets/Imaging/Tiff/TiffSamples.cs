namespace Workflows.Assets.Imaging.Tiff;

/// <summary>Turns one decoded TIFF row (1, 2, 4, 8 or 16 bits per sample) into RGBA bytes by each sample's role.</summary>
internal static class TiffSamples
{
    /// <summary>
    /// Writes <paramref name="target"/>'s pixels from <paramref name="row"/>: every sample of each pixel when
    /// chunky (<paramref name="plane"/> = -1), or the one sample <paramref name="plane"/> holds when planar.
    /// Colour roles also set alpha opaque; an alpha sample comes later in either layout and overwrites it.
    /// <paramref name="values"/> is scratch of at least one byte per pixel.
    /// </summary>
    public static void ToRgba(TiffLayout layout, ReadOnlySpan<byte> row, int plane, Span<byte> target, Span<byte> values)
    {
        int pixels = target.Length / 4;
        values = values[..pixels];
        int stride = plane < 0 ? layout.SamplesPerPixel : 1;
        int first = plane < 0 ? 0 : plane;
        int last = plane < 0 ? layout.SamplesPerPixel - 1 : plane;
        for (int sample = first; sample <= last; sample++)
        {
            TiffSampleRole role = layout.Roles[sample];
            if (role != TiffSampleRole.Ignore)
            {
                Extract(layout, row, stride, plane < 0 ? sample : 0, role == TiffSampleRole.PaletteIndex, values);
                Apply(role, layout.Palette, values, target);
            }
        }
    }

    /// <summary>
    /// One sample of every pixel as 8 bits: 16-bit samples keep their high byte; 1-, 2- and 4-bit ones (MSB first)
    /// are scaled to 0-255, except palette indexes, which stay indexes.
    /// </summary>
    private static void Extract(TiffLayout layout, ReadOnlySpan<byte> row, int stride, int offset, bool isIndex, Span<byte> values)
    {
        int bits = layout.BitsPerSample;
        if (bits == 8)
        {
            for (int x = 0, i = offset; x < values.Length; x++, i += stride)
            {
                values[x] = row[i];
            }
        }
        else if (bits == 16)
        {
            for (int x = 0, i = 2 * offset + (layout.LittleEndian ? 1 : 0); x < values.Length; x++, i += 2 * stride)
            {
                values[x] = row[i];
            }
        }
        else
        {
            int max = (1 << bits) - 1;
            for (int x = 0; x < values.Length; x++)
            {
                int bit = x * bits; // packed samples only occur with one sample per pixel
                int value = (row[bit >> 3] >> (8 - bits - (bit & 7))) & max;
                values[x] = (byte)(isIndex ? value : value * 255 / max);
            }
        }
    }

    // One loop per role, the role decided once per row rather than once per pixel.
    private static void Apply(TiffSampleRole role, byte[]? palette, ReadOnlySpan<byte> values, Span<byte> target)
    {
        switch (role)
        {
            case TiffSampleRole.Gray or TiffSampleRole.InvertedGray:
                byte invert = role == TiffSampleRole.Gray ? (byte)0 : (byte)255;
                for (int x = 0, p = 0; x < values.Length; x++, p += 4)
                {
                    byte gray = (byte)(values[x] ^ invert);
                    (target[p], target[p + 1], target[p + 2], target[p + 3]) = (gray, gray, gray, 255);
                }

                break;
            case TiffSampleRole.PaletteIndex:
                for (int x = 0, p = 0; x < values.Length; x++, p += 4)
                {
                    int at = 3 * values[x];
                    (target[p], target[p + 1], target[p + 2], target[p + 3]) = (palette![at], palette[at + 1], palette[at + 2], 255);
                }

                break;
            case TiffSampleRole.Red:
                for (int x = 0, p = 0; x < values.Length; x++, p += 4)
                {
                    (target[p], target[p + 3]) = (values[x], 255);
                }

                break;
            default:
                int channel = role switch { TiffSampleRole.Green => 1, TiffSampleRole.Blue => 2, _ => 3 };
                for (int x = 0, p = channel; x < values.Length; x++, p += 4)
                {
                    target[p] = values[x];
                }

                break;
        }
    }
}
