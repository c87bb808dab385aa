using SkiaSharp;

namespace Workflows.Tests.TestSupport;

/// <summary>TIFF compression schemes the test writer can produce (JPEG only as a header, to be rejected).</summary>
public enum TestTiffCompression
{
    None = 1,
    Lzw = 5,
    Jpeg = 7,
    Deflate = 8,
    PackBits = 32773,
}

/// <summary>Colour models the test writer can produce.</summary>
public enum TestTiffColour
{
    Rgb,

    /// <summary>RGB with unassociated alpha: opaque except a transparent bottom-right quarter.</summary>
    Rgba,
    Gray,

    /// <summary>3-3-2 palette, 8-bit indexes.</summary>
    Palette,

    /// <summary>1 bit per pixel, WhiteIsZero: the marker is black, the lighter gradient white.</summary>
    Bilevel,
}

/// <summary>How to write a test TIFF; the defaults make an uncompressed little-endian 8-bit RGB in 16-row strips.</summary>
public sealed record TestTiff(
    TestTiffCompression Compression = TestTiffCompression.None,
    bool Predictor = false,
    TestTiffColour Colour = TestTiffColour.Rgb,
    int Bits = 8,
    bool BigEndian = false,
    bool Tiled = false,
    bool Planar = false,
    int RowsPerStrip = 16,
    TestExif? Exif = null);

public static partial class TestImages
{
    /// <summary>A real TIFF of the usual test picture (marker in the stored top-left corner): see TestImagesTiffWriter.cs.</summary>
    public static byte[] Tiff(int width, int height, TestTiff? options = null)
    {
        using SKBitmap bitmap = Paint(width, height);
        return TestImagesTiffWriter.Write(bitmap, options ?? new TestTiff());
    }

    /// <summary>What the marker looks like in a greyscale TIFF (the writer's luminance).</summary>
    public static SKColor GrayMarker
    {
        get
        {
            byte gray = TestImagesTiffWriter.Luminance(Marker);
            return new SKColor(gray, gray, gray);
        }
    }

    /// <summary>8-bit grey claiming <paramref name="width"/> × <paramref name="height"/>, in one LZW strip of a megabyte of zeros: a few KB.</summary>
    public static byte[] TiffBomb(int width = 50_000, int height = 50_000)
    {
        byte[] strip = TestImagesTiffCodecs.Compress(TestTiffCompression.Lzw, [new byte[1 << 20]]);
        var ifd0 = new TestImagesTiffIfd(bigEndian: false);
        ifd0.Long(256, (uint)width);
        ifd0.Long(257, (uint)height);
        ifd0.Short(258, 8);
        ifd0.Short(259, 5);
        ifd0.Short(262, 1);
        ifd0.Long(278, (uint)height);
        ifd0.Long(273, 0);
        ifd0.Long(279, (uint)strip.Length);
        return TestImagesTiffIfd.Assemble(ifd0, null, [strip], 273);
    }
}
