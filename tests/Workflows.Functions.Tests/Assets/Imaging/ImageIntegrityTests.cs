using Workflows.Assets.Imaging;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>Files that look whole but are not: caught by the rendering (its structure check or its one decode) before it writes a rendition (inspection reads the header only).</summary>
public sealed class ImageIntegrityTests : IDisposable
{
    private const string Corrupt = "The image is truncated or corrupt";

    private readonly DecodeLimiter _limiter = new(1);

    [Theory]
    [InlineData(0.15)]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.7)]
    [InlineData(0.9)]
    public async Task Render_ProgressiveJpegCutShort_RejectedLikeABaselineOne(double keep)
    {
        // Arrange: libjpeg renders what the scans so far hold (a blur) without an error.
        byte[] cut = TestImages.Truncated(TestFiles.Read(TestFiles.ProgressiveJpeg), keep);

        // Act
        var ex = await Assert.ThrowsAsync<ImageRejectedException>(() => RenderAsync(cut));

        // Assert
        Assert.StartsWith(Corrupt, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_CompleteProgressiveJpeg_Accepted()
    {
        // Act
        ImageInspection inspection = await InspectAsync(TestFiles.Read(TestFiles.ProgressiveJpeg));

        // Assert
        Assert.Equal((ImageFormat.Jpeg, 240, 180), (inspection.Format, inspection.Width, inspection.Height));
    }

    public static TheoryData<string> DamagedPixelStreams => ["rows-missing", "not-zlib", "filter-type-out-of-range", "empty-zlib-stream"];

    [Theory]
    [MemberData(nameof(DamagedPixelStreams))]
    public async Task Render_PngWithValidCrcsButDamagedPixelStream_Rejected(string kind)
    {
        // Arrange: every chunk CRC is right; only the compressed pixel data is wrong.
        byte[] imageData = kind switch
        {
            "rows-missing" => TestImages.PngRows(64, 20),
            "not-zlib" => [.. Enumerable.Range(0, 2000).Select(i => (byte)(i * 31 + 7))],
            "filter-type-out-of-range" => TestImages.PngRows(64, 48, filter: 9),
            "empty-zlib-stream" => TestImages.PngRows(64, 0),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        byte[] png = TestImages.PngWithImageData(64, 48, imageData);

        // Act
        var ex = await Assert.ThrowsAsync<ImageRejectedException>(() => RenderAsync(png));

        // Assert
        Assert.StartsWith(Corrupt, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_PngWithEveryRow_Accepted()
    {
        // Arrange: the same hand-built file with all 48 rows, so the rejections above are about the rows alone.
        byte[] png = TestImages.PngWithImageData(64, 48, TestImages.PngRows(64, 48));

        // Act
        ImageInspection inspection = await InspectAsync(png);

        // Assert
        Assert.Equal((ImageFormat.Png, 64, 48), (inspection.Format, inspection.Width, inspection.Height));
    }

    public void Dispose() => _limiter.Dispose();

    private async Task RenderAsync(byte[] content) =>
        _ = await RenditionRendering.RenderAsync(content, TestChains.Widths(RenditionFormat.Jpeg, 80, 64), _limiter);

    private static async Task<ImageInspection> InspectAsync(byte[] content)
    {
        using var timeout = new Deadline(TimeSpan.FromSeconds(30));
        return await new ImageInspector(ImageLimits.Default).InspectAsync(new MemoryStream(content), timeout.Token);
    }
}
