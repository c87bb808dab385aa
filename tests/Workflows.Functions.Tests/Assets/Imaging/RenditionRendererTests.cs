using SkiaSharp;
using Workflows.Assets.Imaging;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets.Imaging;

public sealed class RenditionRendererTests
{
    [Theory]
    [InlineData(RenditionFormat.Jpeg, SKEncodedImageFormat.Jpeg, "image/jpeg")]
    [InlineData(RenditionFormat.Webp, SKEncodedImageFormat.Webp, "image/webp")]
    public async Task RenderChain_LandscapePhoto_EachWidthKeepsAspect(RenditionFormat format, SKEncodedImageFormat encoded, string contentType)
    {
        // Arrange
        byte[] original = TestImages.PhotoJpeg(2000, 1500);
        var chain = TestChains.Widths(format, 80, 1600, 800, 200);

        // Act
        var (infos, output) = await RenditionRendering.RenderAsync(original, chain);

        // Assert
        string name = RenditionNames.FormatName(format);
        Assert.Equal(
            [($"{name}-1600", 1600, 1200), ($"{name}-800", 800, 600), ($"{name}-200", 200, 150)],
            infos.Select(i => (i.Name, i.Width, i.Height)));
        Assert.All(infos, i => Assert.Equal(contentType, i.ContentType));
        Assert.All(infos, i => Assert.Equal(output.Written[i.Name].Length, i.Bytes));
        Assert.All(infos, i => Assert.Equal((encoded, i.Width, i.Height), RenditionRendering.Describe(output.Written[i.Name])));
    }

    [Theory]
    [InlineData("jpeg")]
    [InlineData("png")]
    [InlineData("webp")]
    [InlineData("gif")]
    [InlineData("bmp")]
    [InlineData("tiff")]
    public async Task RenderChain_EachOriginalFormat_RendersEveryWidth(string kind)
    {
        // Arrange
        byte[] original = ImageInspectorTests.Build(kind, 640, 480);

        // Act
        var (infos, output) = await RenditionRendering.RenderAsync(original, TestChains.Widths(RenditionFormat.Webp, 80, 400, 100));

        // Assert
        Assert.Equal([(400, 300), (100, 75)], infos.Select(i => (i.Width, i.Height)));
        using SKBitmap small = TestImages.Decode(output.Written["webp-100"]);
        Assert.True(TestImages.IsNear(small.GetPixel(3, 3), TestImages.Marker), small.GetPixel(3, 3).ToString());
    }

    [Fact]
    public async Task RenderChain_PortraitPng_WidthsAreWidthsAndAspectKept()
    {
        // Arrange
        byte[] original = TestImages.Png(1800, 2400);
        var chain = TestChains.Widths(RenditionFormat.Jpeg, 80, 1600, 800, 200);

        // Act
        var (infos, _) = await RenditionRendering.RenderAsync(original, chain);

        // Assert
        Assert.Equal([(1600, 2133), (800, 1067), (200, 267)], infos.Select(i => (i.Width, i.Height)));
    }

    [Fact]
    public async Task RenderChain_ImageSmallerThanEveryWidth_NotUpscaled()
    {
        // Arrange
        byte[] original = TestImages.Jpeg(120, 90);

        // Act
        var (infos, output) = await RenditionRendering.RenderAsync(original, RenditionProfile.Default.Chains[0]);

        // Assert
        Assert.Equal(["jpeg-1600", "jpeg-800", "jpeg-200"], infos.Select(i => i.Name));
        Assert.All(infos, i => Assert.Equal((120, 90), (i.Width, i.Height)));
        Assert.All(output.Written.Values, bytes => Assert.Equal((SKEncodedImageFormat.Jpeg, 120, 90), RenditionRendering.Describe(bytes)));
    }

    [Fact]
    public async Task RenderChain_ForAnAsset_BlobNamesAreAssetSlashNameDotExtension()
    {
        // Arrange
        byte[] original = TestImages.Jpeg(300, 200);

        // Act
        var (_, jpeg) = await RenditionRendering.RenderAsync(original, RenditionProfile.Default.Chains[0]);
        var (_, webp) = await RenditionRendering.RenderAsync(original, RenditionProfile.Default.Chains[1]);

        // Assert
        Assert.Equal(["asset-1/jpeg-1600.jpg", "asset-1/jpeg-800.jpg", "asset-1/jpeg-200.jpg"], jpeg.BlobNames);
        Assert.Equal(["asset-1/webp-1600.webp", "asset-1/webp-800.webp", "asset-1/webp-200.webp"], webp.BlobNames);
    }

    [Fact]
    public async Task RenderChain_WhileRendering_HoldsOneDecodeSlotAndReturnsIt()
    {
        // Arrange
        using var limiter = new DecodeLimiter(2);
        var slotsSeenDuringWrites = new List<int>();

        // Act
        await RenditionRendering.RenderAsync(
            TestImages.Jpeg(400, 300), RenditionProfile.Default.Chains[0], limiter, () => slotsSeenDuringWrites.Add(limiter.AvailableSlots));

        // Assert
        Assert.Equal([1, 1, 1], slotsSeenDuringWrites);
        Assert.Equal(2, limiter.AvailableSlots);
    }

    [Fact]
    public async Task RenderChain_Cancelled_ThrowsAndReturnsTheSlot()
    {
        // Arrange
        using var limiter = new DecodeLimiter(1);
        var renderer = new RenditionRenderer(limiter, ImageLimits.Default);
        using var cancellation = new Deadline(TimeSpan.FromSeconds(30));

        // Act
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => renderer.RenderAsync(
            new MemoryStream(TestImages.Jpeg(400, 300)),
            RenditionProfile.Default.Chains,
            async (_, _, _) => await cancellation.CancelAsync(),
            cancellation.Token));

        // Assert
        Assert.Equal(1, limiter.AvailableSlots);
    }
}
