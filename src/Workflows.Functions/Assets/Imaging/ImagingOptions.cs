using System.ComponentModel.DataAnnotations;

namespace Workflows.Assets.Imaging;

/// <summary>
/// Settings under <c>Imaging</c>. Sizes are comma-separated strings ("1600,800,200"; see <see cref="RenditionSize"/>
/// for <c>w1600</c> and <c>1600x1200</c>): configuration binding appends to collection defaults instead of replacing
/// them, and a string also reads well as an app setting (<c>Imaging__JpegSizes</c>). An empty list turns that format off.
/// </summary>
public sealed class ImagingOptions : IValidatableObject
{
    public const string SectionName = "Imaging";

    [Range(1, long.MaxValue)]
    public long MaxPixels { get; set; } = ImageLimits.DefaultMaxPixels;

    [Range(1, 65_535)]
    public int MaxDimension { get; set; } = ImageLimits.DefaultMaxDimension;

    [Range(1, 64)]
    public int MaxConcurrentDecodes { get; set; } = DecodeLimiter.DefaultMaxConcurrentDecodes;

    public string JpegSizes { get; set; } = "1600,800,200";

    [Range(1, 100)]
    public int JpegQuality { get; set; } = RenditionProfile.DefaultQuality;

    public string WebpSizes { get; set; } = "1600,800,200";

    [Range(1, 100)]
    public int WebpQuality { get; set; } = RenditionProfile.DefaultQuality;

    /// <summary>Off by default: AVIF costs several times WebP's encode time (README, Rendition profile and limits).</summary>
    public string AvifSizes { get; set; } = "";

    [Range(1, 100)]
    public int AvifQuality { get; set; } = RenditionProfile.DefaultQuality;

    /// <summary>Renamed to <see cref="JpegSizes"/>; still set, it stops the app at start rather than being ignored.</summary>
    public string? JpegWidths { get; set; }

    /// <summary>Renamed to <see cref="WebpSizes"/>; see <see cref="JpegWidths"/>.</summary>
    public string? WebpWidths { get; set; }

    public ImageLimits ToLimits() => new(MaxPixels, MaxDimension);

    /// <summary>The profile these settings describe; throws <see cref="FormatException"/> for a size it cannot read.</summary>
    public RenditionProfile ToProfile()
    {
        List<RenditionChain> chains = [];
        AddChain(chains, RenditionFormat.Jpeg, JpegQuality, JpegSizes);
        AddChain(chains, RenditionFormat.Webp, WebpQuality, WebpSizes);
        AddChain(chains, RenditionFormat.Avif, AvifQuality, AvifSizes);
        return new RenditionProfile(chains);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (JpegWidths is not null || WebpWidths is not null)
        {
            yield return new ValidationResult(
                "Imaging: JpegWidths and WebpWidths were renamed to JpegSizes and WebpSizes, whose plain numbers are the longest edge; " +
                "write w1600 to keep the old width fit.", [nameof(JpegWidths), nameof(WebpWidths)]);
        }

        string? error = null;
        try
        {
            ToProfile().Validate();
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            error = $"Imaging: {ex.Message} (JpegSizes '{JpegSizes}', WebpSizes '{WebpSizes}', AvifSizes '{AvifSizes}')";
        }

        if (error is not null)
        {
            yield return new ValidationResult(error, [nameof(JpegSizes), nameof(WebpSizes), nameof(AvifSizes)]);
        }
    }

    private static void AddChain(List<RenditionChain> chains, RenditionFormat format, int quality, string? sizes)
    {
        RenditionSize[] parsed = (sizes ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(RenditionSize.Parse)
            .ToArray();
        if (parsed.Length > 0)
        {
            chains.Add(new RenditionChain(format, quality, parsed));
        }
    }
}
