using System.Globalization;

namespace Workflows.Assets.Imaging;

/// <summary>How an image fits a rendition size.</summary>
public enum RenditionFit
{
    /// <summary>The longer side gets the size (portrait 200 → 150 × 200); see <see cref="RenditionSize.PanoramaRatio"/>.</summary>
    LongestEdge,

    /// <summary>The width gets the size, whatever the height (portrait 200 → 200 × 267): the fit before profiles had a choice.</summary>
    Width,

    /// <summary>The image fits inside <see cref="RenditionSize.Size"/> × <see cref="RenditionSize.BoxHeight"/>.</summary>
    Box,
}

/// <summary>
/// One rendition of a chain, written in settings as <c>1600</c> (longest edge), <c>w1600</c> (width) or
/// <c>1600x1200</c> (box). Never upscales; keeps the aspect ratio.
/// </summary>
/// <param name="Size">Longest edge or width in px; for a box, its width.</param>
/// <param name="BoxHeight">For a box, its height; otherwise 0.</param>
public sealed record RenditionSize(RenditionFit Fit, int Size, int BoxHeight = 0)
{
    /// <summary>
    /// Beyond this aspect ratio a longest-edge size would leave a sliver (a 20,000 × 100 panorama at 1600 is
    /// 1600 × 8), so the short side keeps a quarter of the size instead: 20,000 × 100 at 1600 becomes 16,383 × 82
    /// (capped by <see cref="MaxSide"/>), at 200 becomes 10,000 × 50.
    /// </summary>
    public const int PanoramaRatio = 4;

    /// <summary>No rendition side is longer than WebP allows (16,383 px), whatever the fit.</summary>
    public const int MaxSide = 16_383;

    public static RenditionSize LongestEdge(int size) => new(RenditionFit.LongestEdge, size);

    /// <summary>The name part: <c>1600</c> for a longest edge or a width (names stay what they were), <c>1600x1200</c> for a box.</summary>
    public string Name => Fit == RenditionFit.Box
        ? string.Create(CultureInfo.InvariantCulture, $"{Size}x{BoxHeight}")
        : Size.ToString(CultureInfo.InvariantCulture);

    /// <summary>The longest side this size can produce, for ordering a chain.</summary>
    public int Extent => Math.Max(Size, BoxHeight);

    /// <summary>Parses <c>1600</c>, <c>w1600</c> or <c>1600x1200</c>; throws <see cref="FormatException"/> otherwise.</summary>
    public static RenditionSize Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] box = text.Split('x');
        RenditionSize size = text.StartsWith('w') ? new(RenditionFit.Width, Number(text[1..]))
            : box.Length == 2 ? new(RenditionFit.Box, Number(box[0]), Number(box[1]))
            : new(RenditionFit.LongestEdge, Number(text));
        return size;

        int Number(string digits) => int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new FormatException($"'{text}' is not a rendition size: write 1600 (longest edge), w1600 (width) or 1600x1200 (box).");
    }

    /// <summary>The size in settings syntax.</summary>
    public override string ToString() => Fit == RenditionFit.Width ? "w" + Name : Name;

    /// <summary>The rendition's pixels for an upright original of <paramref name="width"/> × <paramref name="height"/>.</summary>
    public (int Width, int Height) FitTo(int width, int height)
    {
        int longer = Math.Max(width, height);
        int shorter = Math.Min(width, height);
        double scale = Fit switch
        {
            RenditionFit.Width => (double)Size / width,
            RenditionFit.Box => Math.Min((double)Size / width, (double)BoxHeight / height),
            _ when longer > PanoramaRatio * shorter => Math.Max((double)Size / longer, (double)Size / PanoramaRatio / shorter),
            _ => (double)Size / longer,
        };
        scale = Math.Min(scale, (double)MaxSide / longer);
        if (scale >= 1)
        {
            return (width, height);
        }

        return (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }
}
