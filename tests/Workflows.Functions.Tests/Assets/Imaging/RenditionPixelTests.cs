using SkiaSharp;
using Workflows.Assets.Imaging;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>What the pixels of a rendition look like: resampling and transparency.</summary>
public sealed class RenditionPixelTests
{
    [Fact]
    public async Task RenderChain_LargeReduction_AveragesEverySourcePixel()
    {
        // Arrange: 2-px stripes reduced 10:1 must come out mid-grey, not black or white (no skipped pixels).
        byte[] original = TestImages.StripesPng(1000, 100);

        // Act
        var (_, output) = await RenditionRendering.RenderAsync(original, TestChains.Widths(RenditionFormat.Webp, 100, 100));

        // Assert
        using SKBitmap rendition = TestImages.Decode(output.Written["webp-100"]);
        Assert.All(Enumerable.Range(0, 100), x => Assert.InRange(rendition.GetPixel(x, 5).Red, 96, 160));
    }

    [Fact]
    public async Task RenderChain_TransparentPngToJpeg_TransparencyBecomesWhite()
    {
        // Arrange
        byte[] original = TestImages.TransparentPng(160, 120);

        // Act
        var (_, output) = await RenditionRendering.RenderAsync(original, TestChains.Widths(RenditionFormat.Jpeg, 90, 160));

        // Assert
        using SKBitmap rendition = TestImages.Decode(output.Written["jpeg-160"]);
        Assert.True(TestImages.IsNear(rendition.GetPixel(150, 110), SKColors.White), rendition.GetPixel(150, 110).ToString());
        Assert.True(TestImages.IsNear(rendition.GetPixel(5, 5), TestImages.Marker));
    }

    [Fact]
    public async Task RenderChain_TransparentPngToWebp_KeepsTransparency()
    {
        // Arrange
        byte[] original = TestImages.TransparentPng(160, 120);

        // Act
        var (_, output) = await RenditionRendering.RenderAsync(original, TestChains.Widths(RenditionFormat.Webp, 90, 160));

        // Assert
        using SKBitmap rendition = TestImages.Decode(output.Written["webp-160"]);
        Assert.Equal(0, rendition.GetPixel(150, 110).Alpha);
        Assert.Equal(255, rendition.GetPixel(5, 5).Alpha);
    }

    [Fact]
    public async Task RenderRenditions_TransparentPngToJpegAndWebpFromOneDecode_JpegWhiteWebpTransparent()
    {
        // Arrange: both formats are drawn from the same cascade, which keeps the alpha for WebP.
        byte[] original = TestImages.TransparentPng(160, 120);

        // Act
        var (_, output) = await RenditionRendering.RenderAsync(
            original, [TestChains.Widths(RenditionFormat.Jpeg, 90, 160, 80), TestChains.Widths(RenditionFormat.Webp, 90, 160, 80)]);

        // Assert
        foreach (string size in new[] { "160", "80" })
        {
            using SKBitmap jpeg = TestImages.Decode(output.Written[$"jpeg-{size}"]);
            using SKBitmap webp = TestImages.Decode(output.Written[$"webp-{size}"]);
            Assert.True(TestImages.IsNear(jpeg.GetPixel(jpeg.Width - 5, jpeg.Height - 5), SKColors.White), jpeg.GetPixel(jpeg.Width - 5, jpeg.Height - 5).ToString());
            Assert.Equal(0, webp.GetPixel(webp.Width - 5, webp.Height - 5).Alpha);
            Assert.Equal(255, webp.GetPixel(2, 2).Alpha);
        }
    }
}
