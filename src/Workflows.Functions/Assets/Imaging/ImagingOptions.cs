using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Workflows.Assets.Imaging;

/// <summary>
/// Settings under <c>Imaging</c>. Widths are comma-separated strings ("1600,800,200"): configuration binding
/// appends to collection defaults instead of replacing them, and a string also reads well as an app setting
/// (<c>Imaging__JpegWidths</c>). An empty width list turns that format off.
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

    public string JpegWidths { get; set; } = "1600,800,200";

    [Range(1, 100)]
    public int JpegQuality { get; set; } = RenditionProfile.DefaultQuality;

    public string WebpWidths { get; set; } = "1600,800,200";

    [Range(1, 100)]
    public int WebpQuality { get; set; } = RenditionProfile.DefaultQuality;

    public ImageLimits ToLimits() => new(MaxPixels, MaxDimension);

    /// <summary>The profile these settings describe; throws <see cref="FormatException"/> for a width that is not a number.</summary>
    public RenditionProfile ToProfile()
    {
        List<RenditionChain> chains = [];
        AddChain(chains, RenditionFormat.Jpeg, JpegQuality, JpegWidths);
        AddChain(chains, RenditionFormat.Webp, WebpQuality, WebpWidths);
        return new RenditionProfile(chains);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        string? error = null;
        try
        {
            ToProfile().Validate();
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
        {
            error = $"Imaging: {ex.Message} (JpegWidths '{JpegWidths}', WebpWidths '{WebpWidths}')";
        }

        if (error is not null)
        {
            yield return new ValidationResult(error, [nameof(JpegWidths), nameof(WebpWidths)]);
        }
    }

    private static void AddChain(List<RenditionChain> chains, RenditionFormat format, int quality, string? widths)
    {
        int[] parsed = (widths ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(w => int.Parse(w, NumberStyles.None, CultureInfo.InvariantCulture))
            .ToArray();
        if (parsed.Length > 0)
        {
            chains.Add(new RenditionChain(format, quality, parsed));
        }
    }
}
