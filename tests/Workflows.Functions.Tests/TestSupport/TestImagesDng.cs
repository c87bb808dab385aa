using SkiaSharp;

namespace Workflows.Tests.TestSupport;

/// <summary>
/// Camera RAW as a DNG would come from a camera or phone: one 16-bit RGGB Bayer mosaic of the test picture (linear
/// light, 12-bit range), uncompressed, with the DNG tags libraw needs to develop it (version, CFA pattern, black and
/// white level, a colour matrix for sRGB primaries under D65) and EXIF/GPS in IFD0's Exif and GPS IFDs.
/// </summary>
public static partial class TestImages
{
    private const int BlackLevel = 64;
    private const int WhiteLevel = 4064;

    public static byte[] Dng(int width, int height, TestExif exif)
    {
        using SKBitmap bitmap = Paint(width, height);
        return Dng(bitmap, exif);
    }

    /// <summary>
    /// A DNG whose DefaultScale (tag 50718) is <paramref name="horizontal"/> : <paramref name="vertical"/>: libraw
    /// develops it that much wider (or taller) than its <paramref name="width"/> × <paramref name="height"/> header says.
    /// With <paramref name="count"/>, the entry says it holds that many values (its two stay in the file: libraw reads
    /// two whatever the count).
    /// </summary>
    public static byte[] Dng(int width, int height, TestExif exif, uint horizontal, uint vertical, uint count = 2)
    {
        using SKBitmap bitmap = Paint(width, height);
        return Dng(bitmap, exif, ifd0 =>
        {
            ifd0.Rational(50718, horizontal, 1, vertical, 1);
            ifd0.Recount(50718, count);
        });
    }

    /// <summary>The mosaic of <paramref name="bitmap"/> (RGBA 8888), e.g. a photo decoded for a benchmark sample.</summary>
    public static byte[] Dng(SKBitmap bitmap, TestExif exif) => Dng(bitmap, exif, _ => { });

    private static byte[] Dng(SKBitmap bitmap, TestExif exif, Action<TestImagesTiffIfd> moreTags)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        ArgumentNullException.ThrowIfNull(exif);
        int width = bitmap.Width, height = bitmap.Height;
        var mosaic = new byte[width * height * 2];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                SKColor c = bitmap.GetPixel(x, y);
                byte value = (y % 2, x % 2) switch { (0, 0) => c.Red, (1, 1) => c.Blue, _ => c.Green };
                int raw = BlackLevel + (int)Math.Round(Linear(value) * (WhiteLevel - BlackLevel));
                mosaic[(y * width + x) * 2] = (byte)raw;
                mosaic[(y * width + x) * 2 + 1] = (byte)(raw >> 8);
            }
        }

        var ifd0 = new TestImagesTiffIfd(bigEndian: false);
        ifd0.Long(254, 0);
        ifd0.Long(256, (uint)width);
        ifd0.Long(257, (uint)height);
        ifd0.Short(258, 16);
        ifd0.Short(259, 1);
        ifd0.Short(262, 32803); // CFA
        ifd0.Short(277, 1);
        ifd0.Long(273, 0); // StripOffsets: sized now, filled in by Assemble
        ifd0.Long(278, (uint)height);
        ifd0.Long(279, (uint)mosaic.Length);
        ifd0.Short(284, 1);
        ifd0.Short(33421, 2, 2); // CFARepeatPatternDim
        ifd0.Byte(33422, 0, 1, 1, 2); // CFAPattern: R G / G B
        ifd0.Byte(50706, 1, 4, 0, 0); // DNGVersion
        ifd0.Ascii(50708, $"{exif.Make} {exif.Model}"); // UniqueCameraModel
        ifd0.Short(50714, BlackLevel);
        ifd0.Short(50717, WhiteLevel);
        ifd0.SRational(50721, XyzToLinearSrgb); // ColorMatrix1
        ifd0.Short(50778, 21); // CalibrationIlluminant1: D65
        ifd0.Rational(50728, 1, 1, 1, 1, 1, 1); // AsShotNeutral
        moreTags(ifd0);
        return TestImagesTiffIfd.Assemble(ifd0, exif, [mosaic], 273);
    }

    // The camera's colour space is linear sRGB, so its matrix is the inverse of sRGB → XYZ (D65), to 4 places.
    private static int[] XyzToLinearSrgb { get; } =
        [32406, 10000, -15372, 10000, -4986, 10000, -9689, 10000, 18758, 10000, 415, 10000, 557, 10000, -2040, 10000, 10570, 10000];

    private static double Linear(byte srgb)
    {
        double c = srgb / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }
}
