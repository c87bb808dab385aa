namespace Workflows.Assets.Imaging;

public enum RenditionFormat
{
    Jpeg,
    Webp,
}

/// <summary>
/// One branch of the fan-out: a format and quality, and the widths to produce, largest first. The branch decodes
/// the original once and derives each width from the previous, larger result.
/// </summary>
public sealed record RenditionChain(RenditionFormat Format, int Quality, IReadOnlyList<int> Widths)
{
    /// <summary>Branch name, e.g. <c>jpeg</c>; unique within a profile.</summary>
    public string Name => RenditionNames.FormatName(Format);

    /// <summary>Throws <see cref="ArgumentException"/> unless quality is 1-100 and widths are positive and strictly descending.</summary>
    public void Validate()
    {
        if (Quality is < 1 or > 100)
        {
            throw new ArgumentException($"Rendition quality must be 1-100, not {Quality}.", nameof(Quality));
        }

        if (Widths is not { Count: > 0 })
        {
            throw new ArgumentException("A rendition chain needs at least one width.", nameof(Widths));
        }

        for (int i = 0; i < Widths.Count; i++)
        {
            if (Widths[i] < 1 || (i > 0 && Widths[i] >= Widths[i - 1]))
            {
                throw new ArgumentException("Rendition widths must be positive and listed largest first.", nameof(Widths));
            }
        }
    }
}

/// <summary>A rendition about to be written. <see cref="Width"/>/<see cref="Height"/> are the actual pixels.</summary>
/// <param name="Name">E.g. <c>jpeg-1600</c>: format and the profile width (kept even when a small original caps the pixels).</param>
public sealed record RenditionTarget(string Name, RenditionFormat Format, int Width, int Height)
{
    public string ContentType => RenditionNames.ContentType(Format);

    public string Extension => RenditionNames.Extension(Format);

    /// <summary><c>{assetId}/{name}.{ext}</c>, the rendition's blob name.</summary>
    public string BlobName(string assetId) => RenditionNames.BlobName(assetId, Name, Format);
}

/// <summary>A rendition that was written: what the asset record lists.</summary>
public sealed record RenditionInfo(string Name, int Width, int Height, long Bytes, string ContentType);
