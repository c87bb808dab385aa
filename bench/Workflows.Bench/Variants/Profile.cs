using Workflows.Assets.Imaging;

namespace Workflows.Bench.Variants;

/// <summary>The renditions every variant produces: the app's default profile (sizes and fits, formats, quality), so all render the same thing.</summary>
internal static class Profile
{
    public static RenditionChain Chain(RenditionFormat format) => RenditionProfile.Default.Chains.Single(c => c.Format == format);

    public static RenditionChain Chain(string op) => Chain(op == "webp" ? RenditionFormat.Webp : RenditionFormat.Jpeg);

    /// <summary>The app's own fit (longest edge, width or box; never upscaled; aspect kept and rounded as the app rounds).</summary>
    public static (int Width, int Height) Fit(RenditionSize size, int uprightWidth, int uprightHeight) => size.FitTo(uprightWidth, uprightHeight);

    public static string Name(RenditionFormat format, RenditionSize size) => RenditionNames.RenditionName(format, size);

    public static string Extension(RenditionFormat format) => RenditionNames.Extension(format);
}
