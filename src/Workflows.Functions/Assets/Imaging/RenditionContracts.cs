using System.Text.Json.Serialization;

namespace Workflows.Assets.Imaging;

public enum RenditionFormat
{
    Jpeg,
    Webp,

    /// <summary>Encoded by Magick.NET (libheif with AOM); off unless a profile lists sizes for it.</summary>
    Avif,
}

/// <summary>
/// One output format of the profile: a format and quality, and the sizes to produce, largest first. Every chain
/// is rendered from the same decode (<see cref="RenditionRenderer"/>).
/// </summary>
public sealed record RenditionChain(RenditionFormat Format, int Quality, IReadOnlyList<RenditionSize> Sizes)
{
    /// <summary>
    /// Read only from payloads written before sizes had a fit (<c>"Widths": [1600, 800, 200]</c>): an instance in
    /// flight across the upgrade replays its recorded chains and renders them as the widths they were.
    /// </summary>
    [JsonInclude]
    [JsonPropertyName("Widths")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    private IReadOnlyList<int>? LegacyWidths
    {
        get => null;
        init => Sizes = value is null ? Sizes : [.. value.Select(w => new RenditionSize(RenditionFit.Width, w))];
    }

    /// <summary>Branch name, e.g. <c>jpeg</c>; unique within a profile.</summary>
    public string Name => RenditionNames.FormatName(Format);

    /// <summary>Throws <see cref="ArgumentException"/> unless quality is 1-100 and sizes are positive, with distinct names, largest first.</summary>
    public void Validate()
    {
        if (Quality is < 1 or > 100)
        {
            throw new ArgumentException($"Rendition quality must be 1-100, not {Quality}.", nameof(Quality));
        }

        if (Sizes is not { Count: > 0 })
        {
            throw new ArgumentException("A rendition chain needs at least one size.", nameof(Sizes));
        }

        for (int i = 0; i < Sizes.Count; i++)
        {
            if (Sizes[i].Size < 1 || (Sizes[i].Fit == RenditionFit.Box && Sizes[i].BoxHeight < 1)
                || (i > 0 && Sizes[i].Extent > Sizes[i - 1].Extent))
            {
                throw new ArgumentException("Rendition sizes must be positive and listed largest first.", nameof(Sizes));
            }
        }

        if (Sizes.Select(s => s.Name).Distinct().Count() != Sizes.Count)
        {
            throw new ArgumentException("Two rendition sizes of one chain would have the same name.", nameof(Sizes));
        }
    }
}

/// <summary>A rendition about to be written. <see cref="Width"/>/<see cref="Height"/> are the actual pixels.</summary>
/// <param name="Name">E.g. <c>jpeg-1600</c>: format and the profile size (kept even when a small original caps the pixels).</param>
public sealed record RenditionTarget(string Name, RenditionFormat Format, int Width, int Height)
{
    public RenditionTarget(string name, RenditionFormat format, (int Width, int Height) size)
        : this(name, format, size.Width, size.Height)
    {
    }

    public string ContentType => RenditionNames.ContentType(Format);

    public string Extension => RenditionNames.Extension(Format);

    /// <summary><c>{assetId}/{name}.{ext}</c>, the rendition's blob name.</summary>
    public string BlobName(string assetId) => RenditionNames.BlobName(assetId, Name, Format);
}

/// <summary>A rendition that was written: what the asset record lists.</summary>
public sealed record RenditionInfo(string Name, int Width, int Height, long Bytes, string ContentType);
