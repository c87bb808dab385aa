using SkiaSharp;
using Workflows.Assets.Imaging;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>TIFF variants in, renditions out: sizes, aspect, colours, orientation and metadata like any other format.</summary>
public sealed class TiffDecodingTests
{
    public static TheoryData<string> Variants => [.. VariantOptions.Keys];

    private static Dictionary<string, TestTiff> VariantOptions { get; } = new()
    {
        ["rgb-uncompressed"] = new(),
        ["rgb-lzw-predictor"] = new(TestTiffCompression.Lzw, Predictor: true),
        ["rgb-lzw-one-strip"] = new(TestTiffCompression.Lzw, RowsPerStrip: 10_000),
        ["rgb-deflate"] = new(TestTiffCompression.Deflate),
        ["rgb-deflate-predictor-big-endian"] = new(TestTiffCompression.Deflate, Predictor: true, BigEndian: true),
        ["rgb-packbits"] = new(TestTiffCompression.PackBits),
        ["rgb-16-bit-lzw-predictor"] = new(TestTiffCompression.Lzw, Predictor: true, Bits: 16),
        ["rgb-16-bit-big-endian"] = new(Bits: 16, BigEndian: true),
        ["rgb-tiled-lzw"] = new(TestTiffCompression.Lzw, Tiled: true),
        ["rgb-planar-deflate-predictor"] = new(TestTiffCompression.Deflate, Predictor: true, Planar: true),
        ["rgba-unassociated"] = new(Colour: TestTiffColour.Rgba),
        ["rgba-tiled-planar-packbits"] = new(TestTiffCompression.PackBits, Colour: TestTiffColour.Rgba, Tiled: true, Planar: true),
        ["gray-lzw"] = new(TestTiffCompression.Lzw, Colour: TestTiffColour.Gray),
        ["gray-4-bit-lzw"] = new(TestTiffCompression.Lzw, Colour: TestTiffColour.Gray, Bits: 4),
        ["gray-16-bit-big-endian-deflate"] = new(TestTiffCompression.Deflate, Colour: TestTiffColour.Gray, Bits: 16, BigEndian: true),
        ["palette-packbits"] = new(TestTiffCompression.PackBits, Colour: TestTiffColour.Palette),
        ["bilevel-packbits"] = new(TestTiffCompression.PackBits, Colour: TestTiffColour.Bilevel),
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Inspect_TiffVariant_DetectedFromContentWithSize(string variant)
    {
        // Arrange: odd sizes, so strips and tiles end part-way.
        byte[] image = TestImages.Tiff(150, 90, VariantOptions[variant]);

        // Act
        ImageInspection inspection = await InspectAsync(image);

        // Assert
        Assert.Equal((ImageFormat.Tiff, "image/tiff"), (inspection.Format, inspection.ContentType));
        Assert.Equal((150, 90, 1), (inspection.Width, inspection.Height, inspection.Orientation));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task RenderChain_TiffVariant_EveryWidthKeepsAspectAndColours(string variant)
    {
        // Arrange
        TestTiff options = VariantOptions[variant];
        byte[] original = TestImages.Tiff(330, 220, options);

        // Act
        var (infos, output) = await RenditionRendering.RenderAsync(original, TestChains.Widths(RenditionFormat.Webp, 90, 300, 150));

        // Assert
        Assert.Equal([(300, 200), (150, 100)], infos.Select(i => (i.Width, i.Height)));
        using SKBitmap large = TestImages.Decode(output.Written["webp-300"]);
        SKColor marker = options.Colour switch
        {
            TestTiffColour.Gray => TestImages.GrayMarker,
            TestTiffColour.Bilevel => SKColors.Black,
            _ => TestImages.Marker,
        };
        Assert.True(TestImages.IsNear(large.GetPixel(10, 10), marker), large.GetPixel(10, 10).ToString());
        SKColor middle = large.GetPixel(150, 100);
        Assert.False(TestImages.IsNear(middle, marker), $"marker colour in the middle: {middle}");
        Assert.Equal(options.Colour == TestTiffColour.Rgba ? 0 : 255, large.GetPixel(290, 190).Alpha);
    }

    [Theory]
    [MemberData(nameof(RenditionOrientationTests.Orientations), MemberType = typeof(RenditionOrientationTests))]
    public async Task RenderChain_TiffOrientationTag_ComesOutUpright(int orientation, bool markerRight, bool markerBottom)
    {
        // Arrange: stored 400 × 300, big-endian LZW, orientation in IFD0 like a scanner or camera would write it.
        byte[] original = TestImages.Tiff(400, 300, new TestTiff(TestTiffCompression.Lzw, BigEndian: true, Exif: new TestExif(orientation)));

        // Act
        var (infos, output) = await RenditionRendering.RenderAsync(original, TestChains.Widths(RenditionFormat.Jpeg, 90, 200));

        // Assert
        Assert.Equal(orientation >= 5 ? (200, 267) : (200, 150), (infos[0].Width, infos[0].Height));
        using SKBitmap upright = TestImages.Decode(output.Written["jpeg-200"]);
        int x = markerRight ? upright.Width - 6 : 6;
        int y = markerBottom ? upright.Height - 6 : 6;
        Assert.True(TestImages.IsNear(upright.GetPixel(x, y), TestImages.Marker), $"marker expected at ({x},{y})");
        Assert.False(TestImages.IsNear(upright.GetPixel(upright.Width - 1 - x, upright.Height - 1 - y), TestImages.Marker));
    }

    [Fact]
    public async Task Inspect_TiffWithExifAndGps_ReadsCameraTimeGpsAndOrientation()
    {
        // Arrange
        TestExif exif = TestExif.PhonePortrait;
        byte[] image = TestImages.Tiff(400, 300, new TestTiff(TestTiffCompression.Deflate, Exif: exif));

        // Act
        ImageInspection inspection = await InspectAsync(image);

        // Assert
        Assert.Equal((400, 300, 6), (inspection.Width, inspection.Height, inspection.Orientation));
        Assert.Equal((300, 400), (inspection.UprightWidth, inspection.UprightHeight));
        Assert.Equal(("Contoso", "Lens 12", exif.TakenAt), (inspection.Metadata.CameraMake, inspection.Metadata.CameraModel, inspection.Metadata.TakenAt));
        Assert.Equal(exif.Latitude!.Value, inspection.Metadata.Latitude!.Value, 4);
        Assert.Equal(exif.Longitude!.Value, inspection.Metadata.Longitude!.Value, 4);
    }

    private static async Task<ImageInspection> InspectAsync(byte[] image)
    {
        using var timeout = new Deadline(TimeSpan.FromSeconds(30));
        return await new ImageInspector(ImageLimits.Default).InspectAsync(new MemoryStream(image), timeout.Token);
    }
}
