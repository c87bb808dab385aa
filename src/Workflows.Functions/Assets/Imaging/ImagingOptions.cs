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

    /// <summary>The JPEG and WebP sizes when their setting is absent (longest edges; README, Rendition profile and limits).</summary>
    public const string DefaultSizes = "1600,800,200";

    [Range(1, long.MaxValue)]
    public long MaxPixels { get; set; } = ImageLimits.DefaultMaxPixels;

    [Range(1, 65_535)]
    public int MaxDimension { get; set; } = ImageLimits.DefaultMaxDimension;

    [Range(1, 64)]
    public int MaxConcurrentDecodes { get; set; } = DecodeLimiter.DefaultMaxConcurrentDecodes;

    /// <summary>Unset: <see cref="DefaultSizes"/>.</summary>
    public string? JpegSizes { get; set; }

    [Range(1, 100)]
    public int JpegQuality { get; set; } = RenditionProfile.DefaultQuality;

    /// <summary>Unset: <see cref="DefaultSizes"/>.</summary>
    public string? WebpSizes { get; set; }

    [Range(1, 100)]
    public int WebpQuality { get; set; } = RenditionProfile.DefaultWebpQuality;

    /// <summary>Off by default: AVIF costs several times WebP's encode time (README, Rendition profile and limits).</summary>
    public string AvifSizes { get; set; } = "";

    [Range(1, 100)]
    public int AvifQuality { get; set; } = RenditionProfile.DefaultQuality;

    /// <summary>
    /// Renamed to <see cref="JpegSizes"/>, whose plain numbers are longest edges: still read, as width fits (what every
    /// size meant then), so an upgraded app renders what it did; see <see cref="UpgradeRenamedWidths"/>.
    /// </summary>
    public string? JpegWidths { get; set; }

    /// <summary>Renamed to <see cref="WebpSizes"/>; see <see cref="JpegWidths"/>.</summary>
    public string? WebpWidths { get; set; }

    public ImageLimits ToLimits() => new(MaxPixels, MaxDimension);

    /// <summary>The profile these settings describe; throws <see cref="FormatException"/> for a size it cannot read.</summary>
    public RenditionProfile ToProfile()
    {
        List<RenditionChain> chains = [];
        AddChain(chains, RenditionFormat.Jpeg, JpegQuality, JpegSizes ?? DefaultSizes);
        AddChain(chains, RenditionFormat.Webp, WebpQuality, WebpSizes ?? DefaultSizes);
        AddChain(chains, RenditionFormat.Avif, AvifQuality, AvifSizes);
        return new RenditionProfile(chains);
    }

    /// <summary>
    /// Moves a setting from before fits (<c>JpegWidths</c>, <c>WebpWidths</c>) into its sizes list as width fits
    /// ("1600,800" becomes "w1600,w800"): the same renditions under the same names. Returns a warning per setting moved;
    /// one set together with its new name is left for <see cref="Validate"/> to refuse.
    /// </summary>
    public IReadOnlyList<string> UpgradeRenamedWidths()
    {
        List<string> warnings = [];
        if (JpegWidths is not null && JpegSizes is null)
        {
            (JpegSizes, JpegWidths) = (AsWidthFits(JpegWidths), null);
            warnings.Add(RenamedWarning("Jpeg", JpegSizes));
        }

        if (WebpWidths is not null && WebpSizes is null)
        {
            (WebpSizes, WebpWidths) = (AsWidthFits(WebpWidths), null);
            warnings.Add(RenamedWarning("Webp", WebpSizes));
        }

        return warnings;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (JpegWidths is not null || WebpWidths is not null)
        {
            yield return new ValidationResult(
                "Imaging: JpegWidths/WebpWidths (renamed) and JpegSizes/WebpSizes are both set; keep only the Sizes setting " +
                "(write w1600 for the old width fit).", [nameof(JpegWidths), nameof(WebpWidths)]);
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

    private static string AsWidthFits(string widths) => string.Join(',', widths
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(width => width.All(char.IsAsciiDigit) ? "w" + width : width));

    private static string RenamedWarning(string format, string sizes) =>
        $"Imaging:{format}Widths is deprecated (renamed {format}Sizes, whose plain numbers are the longest edge); read as " +
        $"width fits, as before: set Imaging__{format}Sizes to \"{sizes}\" and remove Imaging__{format}Widths.";

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
