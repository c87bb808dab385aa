using ImageMagick;
using SkiaSharp;
using Workflows.Assets.Imaging;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>
/// TIFFs the old in-house reader refused, written by libtiff itself: JPEG (YCbCr), fax, 16- and 32-bit samples,
/// CMYK with and without a profile, Lab, several pages. Each renders with the picture where it belongs.
/// </summary>
public sealed class LibtiffVariantTests
{
    public static TheoryData<string> Variants => [.. Writers.Keys];

    private static Dictionary<string, Action<MagickImage>> Writers { get; } = new()
    {
        ["jpeg-ycbcr"] = image => image.Settings.Compression = CompressionMethod.JPEG,
        ["ccitt-group4"] = image =>
        {
            image.Threshold(new Percentage(37)); // between the marker's luminance and the gradient's
            image.Settings.Compression = CompressionMethod.Group4;
        },
        ["16-bit-deflate"] = image =>
        {
            image.Depth = 16;
            image.Settings.Compression = CompressionMethod.Zip;
        },
        ["32-bit-float"] = image =>
        {
            image.Depth = 32;
            image.Settings.SetDefine("quantum:format", "floating-point");
        },
        ["cmyk-lzw-without-profile"] = image =>
        {
            image.ColorSpace = ColorSpace.CMYK;
            image.Settings.Compression = CompressionMethod.LZW;
        },
        ["lab"] = image => image.ColorSpace = ColorSpace.Lab,
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task RenderChain_LibtiffVariant_PictureWhereItBelongs(string variant)
    {
        // Arrange
        byte[] tiff = TestImages.MagickTiff(320, 200, Writers[variant]);

        // Act
        var (infos, output) = await RenditionRendering.RenderAsync(tiff, TestChains.Widths(RenditionFormat.Jpeg, 90, 160));

        // Assert
        Assert.Equal((160, 100), (infos[0].Width, infos[0].Height));
        using SKBitmap rendition = TestImages.Decode(output.Written["jpeg-160"]);
        SKColor marker = rendition.GetPixel(5, 5);
        SKColor middle = rendition.GetPixel(100, 60);
        Assert.True(variant == "ccitt-group4" ? marker.Red < 60 : TestImages.IsNear(marker, TestImages.Marker, 50), $"marker corner is {marker}");
        Assert.False(TestImages.IsNear(middle, marker, 30), $"the middle looks like the marker: {middle}");
    }

    [Fact]
    public async Task RenderChain_TwoPageTiff_FirstPageOnly()
    {
        // Arrange: page 2 is plain blue.
        byte[] tiff = TestImages.TwoPageTiff(320, 200);

        // Act
        var (infos, output) = await RenditionRendering.RenderAsync(tiff, TestChains.Widths(RenditionFormat.Jpeg, 90, 160));

        // Assert
        using SKBitmap rendition = TestImages.Decode(output.Written[infos[0].Name]);
        Assert.True(TestImages.IsNear(rendition.GetPixel(5, 5), TestImages.Marker), rendition.GetPixel(5, 5).ToString());
    }
}
