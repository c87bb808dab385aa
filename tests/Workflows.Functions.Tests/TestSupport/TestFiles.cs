namespace Workflows.Tests.TestSupport;

/// <summary>The few committed test images (Assets/Imaging/Files; see the README there for origin and licence).</summary>
public static class TestFiles
{
    /// <summary>An iPhone-style HEIC: stored 256 × 192 with an irot box (turn 90° clockwise) and a stale EXIF orientation 6.</summary>
    public const string PhonePortraitHeic = "phone-portrait.heic";

    /// <summary>A 240 × 180 progressive JPEG (q80), marker in the top-left corner.</summary>
    public const string ProgressiveJpeg = "progressive.jpg";

    public static byte[] Read(string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Assets", "Imaging", "Files", name));
}
