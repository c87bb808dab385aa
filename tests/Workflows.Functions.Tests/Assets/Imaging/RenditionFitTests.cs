using Workflows.Assets.Imaging;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>How each fit sizes portraits, landscapes and panoramas; the default is the longest edge.</summary>
public sealed class RenditionFitTests
{
    [Theory]
    [InlineData("200", 300, 400, 150, 200)] // portrait: the height gets the size
    [InlineData("200", 400, 300, 200, 150)]
    [InlineData("w200", 300, 400, 200, 267)] // the old width fit
    [InlineData("200x200", 400, 300, 200, 150)]
    [InlineData("300x100", 400, 300, 133, 100)]
    [InlineData("1600", 20_000, 100, 16_383, 82)] // panorama: the short side keeps 1600 / 4 (more than it has), the long side WebP's maximum
    [InlineData("200", 20_000, 100, 10_000, 50)]
    [InlineData("800", 100, 12_000, 100, 12_000)] // a tall strip likewise
    [InlineData("w1000", 1_000, 20_000, 819, 16_383)] // any fit stays within 16,383 px
    [InlineData("1600", 4000, 1000, 1600, 400)] // exactly 4:1 is still a photo
    [InlineData("1600", 1000, 800, 1000, 800)] // never upscaled
    [InlineData("w1600", 1000, 800, 1000, 800)]
    [InlineData("200", 1, 1, 1, 1)] // one pixel: kept, whatever the fit
    [InlineData("w200", 1, 1, 1, 1)]
    [InlineData("200x200", 1, 1, 1, 1)]
    [InlineData("300x100", 1, 5_000, 1, 100)] // a side never rounds to 0
    [InlineData("200", 20_000, 1, 16_383, 1)] // a one-pixel line: the panorama rule keeps its height, the cap its width
    [InlineData("200", 1, 20_000, 1, 16_383)]
    [InlineData("1600", 1600, 1200, 1600, 1200)] // exactly the size: untouched
    [InlineData("1600x1200", 1600, 1200, 1600, 1200)]
    [InlineData("w1600", 1600, 900, 1600, 900)]
    [InlineData("1600", 4001, 1000, 1600, 400)] // just past 4:1 the panorama rule takes over without a jump
    [InlineData("1600", 16_383, 100, 16_383, 100)] // at the cap: kept
    [InlineData("1600", 16_384, 100, 16_383, 100)] // one past it: capped
    [InlineData("w20000", 16_384, 100, 16_383, 100)]
    public void FitTo_SizeAndOriginal_KeepsAspectWithoutUpscaling(string size, int width, int height, int expectedWidth, int expectedHeight)
    {
        // Act
        (int Width, int Height) fitted = RenditionSize.Parse(size).FitTo(width, height);

        // Assert
        Assert.Equal((expectedWidth, expectedHeight), fitted);
    }

    [Fact]
    public async Task RenderChain_DefaultProfilePortrait_ThumbnailIs150By200()
    {
        // Arrange
        byte[] portrait = TestImages.Png(600, 800);

        // Act
        var (infos, output) = await RenditionRendering.RenderAsync(portrait, RenditionProfile.Default.Chains[0]);

        // Assert
        Assert.Equal([("jpeg-1600", 600, 800), ("jpeg-800", 600, 800), ("jpeg-200", 150, 200)], infos.Select(i => (i.Name, i.Width, i.Height)));
        Assert.Equal((150, 200), (RenditionRendering.Describe(output.Written["jpeg-200"]).Width, RenditionRendering.Describe(output.Written["jpeg-200"]).Height));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task RenderChain_OnePixelImage_EverySizeIsThatPixel(int chain)
    {
        // Arrange
        byte[] pixel = TestImages.Png(1, 1);

        // Act
        var (infos, output) = await RenditionRendering.RenderAsync(pixel, RenditionProfile.Default.Chains[chain]);

        // Assert: JPEG and WebP both encode it.
        Assert.All(infos, i => Assert.Equal((1, 1), (i.Width, i.Height)));
        Assert.All(output.Written.Values, encoded => Assert.Equal((1, 1), (RenditionRendering.Describe(encoded).Width, RenditionRendering.Describe(encoded).Height)));
    }

    [Fact]
    public async Task RenderChain_PanoramaInTheDefaultProfile_LegibleAndWithinWebpsLimit()
    {
        // Arrange
        byte[] panorama = TestImages.Png(20_000, 100);

        // Act
        var (infos, _) = await RenditionRendering.RenderAsync(panorama, RenditionProfile.Default.Chains[1]);

        // Assert
        Assert.Equal([(16_383, 82), (16_383, 82), (10_000, 50)], infos.Select(i => (i.Width, i.Height)));
    }

    [Fact]
    public async Task RenderChain_MixedFits_EachSizeFromASourceLargeEnough()
    {
        // Arrange: on a tall original a longest edge of 400 is narrower than a later width of 300.
        byte[] tall = TestImages.Png(300, 900);

        // Act
        var (infos, output) = await RenditionRendering.RenderAsync(tall, TestChains.Parse(RenditionFormat.Webp, 90, "400,w300,100x100"));

        // Assert
        Assert.Equal([(133, 400), (300, 900), (33, 100)], infos.Select(i => (i.Width, i.Height)));
        Assert.All(infos, i => Assert.Equal((i.Width, i.Height), (RenditionRendering.Describe(output.Written[i.Name]).Width, RenditionRendering.Describe(output.Written[i.Name]).Height)));
    }

    [Fact]
    public async Task RenderChain_Avif_EncodesEverySizeAsAvif()
    {
        // Arrange
        byte[] original = TestImages.Jpeg(640, 480);

        // Act
        var (infos, output) = await RenditionRendering.RenderAsync(original, TestChains.Parse(RenditionFormat.Avif, 60, "320,100"));

        // Assert
        Assert.Equal([("avif-320", 320, 240, "image/avif"), ("avif-100", 100, 75, "image/avif")], infos.Select(i => (i.Name, i.Width, i.Height, i.ContentType)));
        using var limiter = new DecodeLimiter(1);
        ImageInspection back = await new ImageInspector(ImageLimits.Default).InspectAsync(new MemoryStream(output.Written["avif-320"]), CancellationToken.None);
        Assert.Equal((ImageFormat.Avif, 320, 240), (back.Format, back.Width, back.Height));
    }
}
