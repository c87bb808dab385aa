using NetVips;

namespace Workflows.Bench.Quality;

/// <summary>Peak signal-to-noise ratio over the RGB channels of two 8-bit images.</summary>
internal static class Psnr
{
    /// <summary>
    /// PSNR in dB of <paramref name="candidatePath"/> against <paramref name="referencePath"/>, over their common
    /// area; null when the sizes differ by more than 2 pixels (a different crop or aspect, not a quality figure).
    /// </summary>
    public static double? Between(string candidatePath, string referencePath)
    {
        using Image candidate = References.Normalise(Image.NewFromFile(candidatePath));
        using Image reference = References.Normalise(Image.NewFromFile(referencePath));
        if (Math.Abs(candidate.Width - reference.Width) > 2 || Math.Abs(candidate.Height - reference.Height) > 2)
        {
            return null;
        }

        int width = Math.Min(candidate.Width, reference.Width);
        int height = Math.Min(candidate.Height, reference.Height);
        using Image difference = candidate.Crop(0, 0, width, height).Cast(Enums.BandFormat.Float)
            - reference.Crop(0, 0, width, height).Cast(Enums.BandFormat.Float);
        double meanSquare = (difference * difference).Avg();
        return meanSquare == 0 ? 99 : 10 * Math.Log10(255.0 * 255.0 / meanSquare);
    }
}
