using Workflows.Assets.Imaging;

namespace Workflows.Tests.Assets.Imaging;

public sealed class RenditionNamesTests
{
    [Fact]
    public void RenditionNames_BlobNameAndParse_RoundTrip()
    {
        // Arrange
        var target = new RenditionTarget("webp-800", RenditionFormat.Webp, 800, 600);

        // Act
        string blobName = target.BlobName("a1b2");
        bool parsed = RenditionNames.TryParse("webp-800", out RenditionFormat format, out int width);

        // Assert
        Assert.Equal("a1b2/webp-800.webp", blobName);
        Assert.True(parsed);
        Assert.Equal((RenditionFormat.Webp, 800), (format, width));
        Assert.False(RenditionNames.TryParse("../etc-800", out _, out _));
        Assert.False(RenditionNames.TryParse("jpeg-", out _, out _));
        Assert.False(RenditionNames.TryParse("jpeg-+800", out _, out _));
        Assert.False(RenditionNames.TryParse("png-800", out _, out _));
        Assert.False(RenditionNames.TryParse("jpeg-800-1", out _, out _));
    }
}
