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
    /// within 0.5 dB of JPEG q80's PSNR at 800 px on the bench's 12 MP photos (q80 is ~1 dB below; q83 within
    /// 0.1 dB, its 1600 and 800 px files still smaller than JPEG's), for ≤ 1.5× the JPEG chain's CPU (README,
    /// Performance, WebP at equal PSNR).
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
