using System.Globalization;

namespace Workflows.Assets.Imaging;

/// <summary>
/// Decompression-bomb limits, checked against the header's dimensions before any pixel is decoded.
/// (The byte-size limit belongs to the upload path, which sees the bytes first.)
/// </summary>
public sealed record ImageLimits(long MaxPixels = ImageLimits.DefaultMaxPixels, int MaxDimension = ImageLimits.DefaultMaxDimension)
{
    public const long DefaultMaxPixels = 100_000_000;
    public const int DefaultMaxDimension = 20_000;

    public static ImageLimits Default { get; } = new();

    /// <summary>Throws <see cref="ImageRejectedException"/> when an image of this size must not be decoded.</summary>
    public void EnsureWithin(int width, int height)
    {
        if (width <= 0 || height <= 0)
        {
            throw ImageRejectedException.Corrupt();
        }

        long pixels = (long)width * height;
        if (pixels > MaxPixels)
        {
            throw new ImageRejectedException(string.Create(CultureInfo.InvariantCulture,
                $"The image is {width} × {height} ({FormatPixels(pixels)}); the limit is {FormatPixels(MaxPixels)}."));
        }

        if (width > MaxDimension || height > MaxDimension)
        {
            throw new ImageRejectedException(string.Create(CultureInfo.InvariantCulture,
                $"The image is {width} × {height}; the limit is {MaxDimension} px on either side."));
        }
    }

    private static string FormatPixels(long pixels) => pixels >= 1_000_000_000
        ? string.Create(CultureInfo.InvariantCulture, $"{pixels / 1e9:0.#} GP")
        : string.Create(CultureInfo.InvariantCulture, $"{pixels / 1e6:0.#} MP");
}
