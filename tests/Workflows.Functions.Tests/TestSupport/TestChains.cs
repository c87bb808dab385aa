using Workflows.Assets.Imaging;

namespace Workflows.Tests.TestSupport;

/// <summary>Rendition chains for tests, in the fit each test is about.</summary>
public static class TestChains
{
    /// <summary>Sizes as widths (<c>w300</c>): the fit whose results are easiest to state.</summary>
    public static RenditionChain Widths(RenditionFormat format, int quality, params int[] widths) =>
        new(format, quality, [.. widths.Select(w => new RenditionSize(RenditionFit.Width, w))]);

    /// <summary>Sizes from settings syntax, e.g. <c>"1600,w800,200x200"</c>.</summary>
    public static RenditionChain Parse(RenditionFormat format, int quality, string sizes) =>
        new(format, quality, [.. sizes.Split(',').Select(RenditionSize.Parse)]);
}
