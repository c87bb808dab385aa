using SkiaSharp;

namespace Workflows.Tests.TestSupport;

/// <summary>
/// Writes real baseline TIFFs (Skia encodes none): header, IFD0 (plus Exif and GPS IFDs when asked), then the strips
/// or tiles, each predicted and compressed per <see cref="TestTiff"/>. The IFDs come first, so truncating a file
/// cuts its pixel data, not its header.
/// </summary>
internal static class TestImagesTiffWriter
{
    private const int TileSize = 32;

    public static byte Luminance(SKColor c) => (byte)((c.Red * 299 + c.Green * 587 + c.Blue * 114) / 1000);

    public static byte[] Write(SKBitmap bitmap, TestTiff options)
    {
        bool bilevel = options.Colour == TestTiffColour.Bilevel;
        int bits = bilevel ? 1 : options.Bits;
        int samples = options.Colour switch { TestTiffColour.Rgb => 3, TestTiffColour.Rgba => 4, _ => 1 };
        int planes = options.Planar ? samples : 1;
        int segmentWidth = options.Tiled ? TileSize : bitmap.Width;
        int segmentHeight = options.Tiled ? TileSize : Math.Min(options.RowsPerStrip, bitmap.Height);
        int across = (bitmap.Width + segmentWidth - 1) / segmentWidth;
        int down = (bitmap.Height + segmentHeight - 1) / segmentHeight;

        List<byte[]> segments = [];
        for (int plane = 0; plane < planes; plane++)
        {
            for (int s = 0; s < across * down; s++)
            {
                int x0 = s % across * segmentWidth;
                int y0 = s / across * segmentHeight;
                int rows = options.Tiled ? segmentHeight : Math.Min(segmentHeight, bitmap.Height - y0);
                List<byte[]> rowBytes = [];
                for (int y = y0; y < y0 + rows; y++)
                {
                    uint[] values = RowSamples(bitmap, options, x0, y, segmentWidth, options.Planar ? plane : -1, samples);
                    if (options.Predictor)
                    {
                        for (int i = values.Length - 1; i >= (options.Planar ? 1 : samples); i--)
                        {
                            values[i] = (values[i] - values[i - (options.Planar ? 1 : samples)]) & (uint)((1 << bits) - 1);
                        }
                    }

                    rowBytes.Add(Pack(values, bits, options.BigEndian));
                }

                segments.Add(TestImagesTiffCodecs.Compress(options.Compression, rowBytes));
            }
        }

        var ifd0 = new TestImagesTiffIfd(options.BigEndian);
        ifd0.Long(256, (uint)bitmap.Width);
        ifd0.Long(257, (uint)bitmap.Height);
        ifd0.Short(258, [.. Enumerable.Repeat((uint)bits, samples)]);
        ifd0.Short(259, (uint)options.Compression);
        ifd0.Short(262, options.Colour switch { TestTiffColour.Bilevel => 0u, TestTiffColour.Gray => 1u, TestTiffColour.Palette => 3u, _ => 2u });
        ifd0.Short(277, (uint)samples);
        ifd0.Short(284, options.Planar ? 2u : 1u);
        if (options.Predictor)
        {
            ifd0.Short(317, 2);
        }

        if (options.Colour == TestTiffColour.Palette)
        {
            ifd0.Short(320, [.. Enumerable.Range(0, 768).Select(i => (uint)(PaletteColour(i % 256, i / 256) * 257))]);
        }

        if (options.Colour == TestTiffColour.Rgba)
        {
            ifd0.Short(338, 2);
        }

        ushort offsetsTag = options.Tiled ? (ushort)324 : (ushort)273;
        if (options.Tiled)
        {
            ifd0.Long(322, TileSize);
            ifd0.Long(323, TileSize);
        }
        else
        {
            ifd0.Long(278, (uint)segmentHeight);
        }

        ifd0.Long(offsetsTag, new uint[segments.Count]);
        ifd0.Long(options.Tiled ? (ushort)325 : (ushort)279, [.. segments.Select(s => (uint)s.Length)]);
        return TestImagesTiffIfd.Assemble(ifd0, options.Exif, segments, offsetsTag);
    }

    // One row of samples (the segment's full width; padding past the image is 0), every sample or one plane's.
    private static uint[] RowSamples(SKBitmap bitmap, TestTiff options, int x0, int y, int width, int plane, int samples)
    {
        int per = plane < 0 ? samples : 1;
        var values = new uint[width * per];
        uint max = (uint)((1 << (options.Colour == TestTiffColour.Bilevel ? 1 : options.Bits)) - 1);
        for (int i = 0; i < width; i++)
        {
            int x = x0 + i;
            if (x >= bitmap.Width || y >= bitmap.Height)
            {
                continue;
            }

            SKColor c = bitmap.GetPixel(x, y);
            byte alpha = x >= bitmap.Width / 2 && y >= bitmap.Height / 2 ? (byte)0 : (byte)255;
            uint[] pixel = options.Colour switch
            {
                TestTiffColour.Rgb => [c.Red, c.Green, c.Blue],
                TestTiffColour.Rgba => [c.Red, c.Green, c.Blue, alpha],
                TestTiffColour.Gray => [Luminance(c)],
                TestTiffColour.Palette => [(uint)(((c.Red >> 5) << 5) | ((c.Green >> 5) << 2) | (c.Blue >> 6))],
                _ => [Luminance(c) < 100 ? 1u : 0u],
            };
            bool scale = options.Colour is not (TestTiffColour.Palette or TestTiffColour.Bilevel);
            for (int s = 0; s < per; s++)
            {
                uint v = pixel[plane < 0 ? s : plane];
                values[i * per + s] = scale ? v * max / 255 : v; // 8-bit colour to 16 bits (×257) or to 2 or 4 bits
            }
        }

        return values;
    }

    private static byte[] Pack(uint[] values, int bits, bool bigEndian)
    {
        if (bits == 16)
        {
            return [.. values.SelectMany(v => bigEndian ? new[] { (byte)(v >> 8), (byte)v } : [(byte)v, (byte)(v >> 8)])];
        }

        if (bits == 8)
        {
            return [.. values.Select(v => (byte)v)];
        }

        var packed = new byte[(values.Length * bits + 7) / 8];
        for (int i = 0; i < values.Length; i++)
        {
            packed[i * bits / 8] |= (byte)(values[i] << (8 - bits - i * bits % 8));
        }

        return packed;
    }

    private static byte PaletteColour(int index, int channel) => channel switch
    {
        0 => (byte)((index >> 5) * 255 / 7),
        1 => (byte)(((index >> 2) & 7) * 255 / 7),
        _ => (byte)((index & 3) * 255 / 3),
    };
}
