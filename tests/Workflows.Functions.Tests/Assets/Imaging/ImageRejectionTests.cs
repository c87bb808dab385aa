using Workflows.Assets.Imaging;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets.Imaging;

public sealed class ImageRejectionTests : IDisposable
{
    private readonly DecodeLimiter _limiter = new(1);

    public static TheoryData<string, string> BadInputs => new()
    {
        { "empty", "The file is empty." },
        { "text", "The file is not a supported image (detected: text)" },
        { "svg", "SVG images are not supported; upload a PNG or JPEG export." },
        { "tiff-header-without-directory", "The image is truncated or corrupt" },
        { "heic-brand-without-image", "The image is truncated or corrupt" },
        { "mp4", "The file is not a supported image (detected: MP4/QuickTime video). Upload a JPEG, PNG, WebP, GIF, BMP, TIFF, HEIC/HEIF, AVIF, JPEG XL, PSD or camera RAW (DNG, CR2, CR3, NEF, ARW) image." },
        { "pdf", "The file is not a supported image (detected: PDF)" },
        { "truncated-jpeg", "The image is truncated or corrupt" },
        { "truncated-png", "The image is truncated or corrupt" },
        { "png-with-a-flipped-byte", "The image is truncated or corrupt" },
        { "truncated-webp", "The image is truncated or corrupt" },
        { "truncated-gif", "The image is truncated or corrupt" },
        { "jpeg-signature-then-noise", "The image is truncated or corrupt" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task InspectThenRender_BadInput_RejectedWithActionableReason(string kind, string reason)
    {
        // Arrange
        byte[] content = kind switch
        {
            "empty" => TestImages.Empty(),
            "text" => TestImages.Text(),
            "svg" => """
                <?xml version="1.0" encoding="UTF-8" standalone="no"?>
                <!-- Created with Inkscape (http://www.inkscape.org/) -->
                <svg width="210mm" height="297mm" viewBox="0 0 210 297" xmlns="http://www.w3.org/2000/svg"><rect width="10" height="10"/></svg>
                """u8.ToArray(),
            "tiff-header-without-directory" => [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 0, 0],
            "heic-brand-without-image" => [0, 0, 0, 24, .. "ftypheic"u8, 0, 0, 0, 0, .. "mif1heic"u8],
            "mp4" => [0, 0, 0, 24, .. "ftypisom"u8, 0, 0, 2, 0, .. "isomiso2"u8],
            "pdf" => "%PDF-1.7\n%âãÏÓ\n"u8.ToArray(),
            "truncated-jpeg" => TestImages.Truncated(TestImages.PhotoJpeg(300, 200)),
            "truncated-png" => TestImages.Truncated(TestImages.Png(300, 200)),
            "png-with-a-flipped-byte" => FlipMiddleByte(TestImages.Png(300, 200)),
            "truncated-webp" => TestImages.Truncated(TestImages.Webp(300, 200)),
            "truncated-gif" => TestImages.Truncated(TestImages.Gif(300, 200)),
            "jpeg-signature-then-noise" => [0xFF, 0xD8, 0xFF, .. TestImages.Text()],
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };

        // Act
        var ex = await Assert.ThrowsAsync<ImageRejectedException>(() => InspectThenRenderAsync(content));

        // Assert
        Assert.StartsWith(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_PngBomb_RejectedFromHeaderWithoutDecoding()
    {
        // Arrange: a file of a few KB whose header declares 2.5 GP: inspection must judge it by its header, not decode it.
        byte[] bomb = TestImages.PngBomb(50_000, 50_000);
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        // Act
        var ex = await Assert.ThrowsAsync<ImageRejectedException>(() => InspectAsync(bomb));

        // Assert
        Assert.True(bomb.Length < 16 * 1024, $"the bomb is {bomb.Length} bytes");
        Assert.Equal("The image is 50000 × 50000 (2.5 GP); the limit is 100 MP.", ex.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore < 4 << 20, "inspection allocated like a decode");
    }

    [Fact]
    public async Task Inspect_WiderThanMaxDimension_Rejected()
    {
        // Arrange
        byte[] panorama = TestImages.PngBomb(30_000, 100);

        // Act
        var ex = await Assert.ThrowsAsync<ImageRejectedException>(() => InspectAsync(panorama));

        // Assert
        Assert.Equal("The image is 30000 × 100; the limit is 20000 px on either side.", ex.Message);
    }

    [Fact]
    public async Task Render_TruncatedOriginal_RejectedAndWritesNothing()
    {
        // Arrange
        byte[] truncated = TestImages.Truncated(TestImages.PhotoJpeg(600, 400));
        var renderer = new RenditionRenderer(_limiter, ImageLimits.Default);
        int writes = 0;
        using var timeout = new Deadline(TimeSpan.FromSeconds(30));

        // Act
        var ex = await Assert.ThrowsAsync<ImageRejectedException>(() => renderer.RenderAsync(
            new MemoryStream(truncated), RenditionProfile.Default.Chains, (_, _, _) => Task.FromResult(++writes), timeout.Token));

        // Assert
        Assert.StartsWith("The image is truncated or corrupt", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, writes);
        Assert.Equal(1, _limiter.AvailableSlots);
    }

    public void Dispose() => _limiter.Dispose();

    private static byte[] FlipMiddleByte(byte[] image)
    {
        image[image.Length / 2] ^= 0x5A;
        return image;
    }

    // As the pipeline sees a file: inspection reads the header (a JPEG's only), the rendering reads and verifies all of it.
    private static async Task InspectThenRenderAsync(byte[] content)
    {
        using var timeout = new Deadline(TimeSpan.FromSeconds(10));
        await new ImageInspector(ImageLimits.Default).InspectAsync(InspectionExtent.View(content), timeout.Token);
        _ = await RenditionRendering.RenderAsync(content, TestChains.Widths(RenditionFormat.Jpeg, 80, 64));
    }

    private static async Task<ImageInspection> InspectAsync(byte[] content)
    {
        using var timeout = new Deadline(TimeSpan.FromSeconds(10));
        return await new ImageInspector(ImageLimits.Default).InspectAsync(new MemoryStream(content), timeout.Token);
    }
}
