using Workflows.Assets.Imaging;

namespace Workflows.Bench.Variants;

/// <summary>The renditions every variant produces: the app's default profile (widths, formats, quality), so all render the same thing.</summary>
internal static class Profile
{
    public static RenditionChain Chain(RenditionFormat format) => RenditionProfile.Default.Chains.Single(c => c.Format == format);

    public static RenditionChain Chain(string op) => Chain(op == "webp" ? RenditionFormat.Webp : RenditionFormat.Jpeg);

    /// <summary>Never upscale; keep the aspect ratio (rounded as the app rounds).</summary>
    public static (int Width, int Height) Fit(int profileWidth, int uprightWidth, int uprightHeight)
    {
        int width = Math.Min(profileWidth, uprightWidth);
        return (width, Math.Max(1, (int)Math.Round((double)uprightHeight * width / uprightWidth)));
    }

    public static string Name(RenditionFormat format, int profileWidth) => RenditionNames.RenditionName(format, profileWidth);

    public static string Extension(RenditionFormat format) => RenditionNames.Extension(format);
}
