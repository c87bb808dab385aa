namespace Workflows.Assets.Imaging;

/// <summary>
/// The renditions every asset gets: one <see cref="RenditionChain"/> per output format, all rendered from one decode.
/// Small and serializable, so the orchestrator can receive it in its input.
/// </summary>
public sealed record RenditionProfile(IReadOnlyList<RenditionChain> Chains)
{
    /// <summary>1600, 800 and 200 px on the longest edge.</summary>
    public static readonly IReadOnlyList<RenditionSize> DefaultSizes =
        [RenditionSize.LongestEdge(1600), RenditionSize.LongestEdge(800), RenditionSize.LongestEdge(200)];

    /// <summary>JPEG's and AVIF's default quality.</summary>
    public const int DefaultQuality = 80;

    /// <summary>
    /// WebP's default quality: the lowest at which libwebp (method <see cref="Magick.MagickEncoder.WebpMethod"/>) is
    /// level with JPEG q80's PSNR at 800 px (within 0.1 dB) on the bench's detailed 12 MP photos, its 1600 and 800 px
    /// files still smaller than JPEG's, for ≤ 1.5× the JPEG chain's CPU (q80 is ~1 dB below, q82 at the 0.5 dB gate's
    /// edge; smooth and 1 MP photos stay 0.7-1.3 dB below at q83: README, Performance, WebP at equal PSNR).
    /// </summary>
    public const int DefaultWebpQuality = 83;

    /// <summary>1600, 800 and 200 px on the longest edge, as JPEG q80 and as WebP q83.</summary>
    public static RenditionProfile Default { get; } = new(
    [
        new RenditionChain(RenditionFormat.Jpeg, DefaultQuality, DefaultSizes),
        new RenditionChain(RenditionFormat.Webp, DefaultWebpQuality, DefaultSizes),
    ]);

    /// <summary>Every rendition name the profile produces, e.g. <c>jpeg-1600</c>.</summary>
    public IEnumerable<string> RenditionNames() =>
        Chains.SelectMany(c => c.Sizes.Select(s => Imaging.RenditionNames.RenditionName(c.Format, s)));

    /// <summary>Throws <see cref="ArgumentException"/> for an empty profile, a bad chain or two chains of one format.</summary>
    public void Validate()
    {
        if (Chains is not { Count: > 0 })
        {
            throw new ArgumentException("A rendition profile needs at least one chain.", nameof(Chains));
        }

        foreach (RenditionChain chain in Chains)
        {
            chain.Validate();
        }

        if (Chains.Select(c => c.Format).Distinct().Count() != Chains.Count)
        {
            throw new ArgumentException("A rendition profile has at most one chain per format.", nameof(Chains));
        }
    }
}
