namespace Workflows.Assets.Imaging.Tiff;

/// <summary>A palette TIFF's ColorMap as 256 RGB byte triplets.</summary>
internal static class TiffPalette
{
    public static byte[] Read(TiffDirectory ifd, int bitsPerSample)
    {
        int entries = 1 << bitsPerSample;
        uint[] map = ifd.Values(320, 3 * entries, 3 * entries); // all reds, then all greens, then all blues (16-bit)

        // The spec says 16-bit values; some writers store 8-bit ones. All values under 256 means the latter.
        int shift = map.All(v => v < 256) ? 0 : 8;
        var palette = new byte[3 * 256];
        for (int i = 0; i < entries; i++)
        {
            palette[3 * i] = (byte)(map[i] >> shift);
            palette[3 * i + 1] = (byte)(map[entries + i] >> shift);
            palette[3 * i + 2] = (byte)(map[2 * entries + i] >> shift);
        }

        return palette;
    }
}
