using Workflows.Assets.Imaging;

namespace Workflows.Tests.Assets.Imaging;

public sealed class RenditionNamesTests
{
    [Fact]
    public void RenditionNames_EachFitAndFormat_NamedBySizeWithTheFormatsExtension()
    {
        // Act
        string longest = RenditionNames.RenditionName(RenditionFormat.Webp, RenditionSize.Parse("800"));
        string width = RenditionNames.RenditionName(RenditionFormat.Jpeg, RenditionSize.Parse("w800"));
        string box = RenditionNames.RenditionName(RenditionFormat.Avif, RenditionSize.Parse("400x300"));

        // Assert: a longest edge and a width keep the names renditions always had.
        Assert.Equal(("webp-800", "jpeg-800", "avif-400x300"), (longest, width, box));
        Assert.Equal("a1b2/avif-400x300.avif", new RenditionTarget(box, RenditionFormat.Avif, 400, 300).BlobName("a1b2"));
        Assert.Equal("a1b2/webp-800.webp", new RenditionTarget(longest, RenditionFormat.Webp, 800, 600).BlobName("a1b2"));
    }
}
