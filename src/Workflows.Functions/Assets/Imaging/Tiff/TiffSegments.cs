namespace Workflows.Assets.Imaging.Tiff;

/// <summary>Where a TIFF's strips or tiles are: their grid from the header, every one checked to lie inside the file.</summary>
internal static class TiffSegments
{
    private const ushort TileWidth = 322;

    /// <summary>
    /// Segment size and per-segment offsets and byte counts, plane by plane when <paramref name="planes"/> &gt; 1.
    /// Strips are as wide as the image; the last one may be short. Tiles are all whole, padding included, so the
    /// padded grid must also be within the pixel limit (a huge tile on a tiny image is a bomb too).
    /// </summary>
    public static (bool Tiled, int Width, int Height, uint[] Offsets, uint[] ByteCounts) Read(
        TiffDirectory ifd, int width, int height, int planes, ImageLimits limits)
    {
        int segmentWidth = width;
        int segmentHeight;
        ushort offsetsTag = 273;
        ushort countsTag = 279;
        if (ifd.Has(TileWidth))
        {
            uint tileWidth = ifd.Single(TileWidth, 0);
            uint tileHeight = ifd.Single(323, 0);
            if (tileWidth is 0 or > ushort.MaxValue || tileHeight is 0 or > ushort.MaxValue)
            {
                throw ImageRejectedException.Corrupt();
            }

            (segmentWidth, segmentHeight) = ((int)tileWidth, (int)tileHeight);
            long paddedWidth = (long)Across(width, segmentWidth) * segmentWidth;
            long paddedHeight = (long)Across(height, segmentHeight) * segmentHeight;
            if (paddedWidth * paddedHeight > limits.MaxPixels)
            {
                throw ImageRejectedException.Corrupt();
            }

            (offsetsTag, countsTag) = (324, 325);
        }
        else
        {
            uint rowsPerStrip = ifd.Single(278, uint.MaxValue);
            if (rowsPerStrip == 0)
            {
                throw ImageRejectedException.Corrupt();
            }

            segmentHeight = (int)Math.Min(rowsPerStrip, (uint)height);
        }

        int count = Across(width, segmentWidth) * Across(height, segmentHeight) * planes;
        uint[] offsets = ifd.Values(offsetsTag, count, count);
        uint[] byteCounts = ifd.Values(countsTag, count, count);
        for (int i = 0; i < count; i++)
        {
            if (byteCounts[i] == 0 || offsets[i] < 8 || (long)offsets[i] + byteCounts[i] > ifd.FileLength)
            {
                throw ImageRejectedException.Corrupt(); // typically a truncated upload: the data ends before the strip does
            }
        }

        return (offsetsTag == 324, segmentWidth, segmentHeight, offsets, byteCounts);
    }

    private static int Across(int length, int segment) => (length + segment - 1) / segment;
}
