using System.Diagnostics;
using SkiaSharp;
using Workflows.Tests.TestSupport;

namespace Workflows.Benchmarks;

/// <summary>
/// <c>--magick-samples DIR PHOTO.jpeg [AVIF]</c>: writes the 12 MP samples of the ImageMagick formats that the bench
/// measures with <c>--extra DIR</c> (README, Performance), all of one photo (the bench's <c>jpeg-12mp</c>): JPEG XL
/// at quality 75 (Magick.NET), the tests' DNG writer's 16-bit RGGB mosaic, HEIC from <c>heif-enc -q 50</c> where
/// that tool is installed (Debian <c>libheif-examples</c>), and a copy of the bench's <c>avif-12mp</c> if given.
/// The files are several MB each, so they are made where they are needed rather than committed.
/// </summary>
internal static class MagickSamples
{
    public static void Write(string folder, string photo, string? avif)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "sample.jxl"), TestImages.JpegXl(Decode(photo), quality: 75));
        using (SKBitmap bitmap = Decode(photo))
        {
            File.WriteAllBytes(Path.Combine(folder, "sample.dng"), TestImages.Dng(bitmap, TestExif.PhonePortrait with { Orientation = 1 }));
        }

        if (avif is not null)
        {
            File.Copy(avif, Path.Combine(folder, "sample.avif"), overwrite: true);
        }

        try
        {
            using Process heifEnc = Process.Start("heif-enc", ["-q", "50", photo, "-o", Path.Combine(folder, "sample.heic")]);
            heifEnc.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine("heif-enc not found: no HEIC sample (apt-get install libheif-examples)");
        }

        foreach (string file in Directory.GetFiles(folder))
        {
            Console.WriteLine($"{file}: {new FileInfo(file).Length / 1024} KiB");
        }
    }

    private static SKBitmap Decode(string photo)
    {
        using SKBitmap decoded = SKBitmap.Decode(photo) ?? throw new ArgumentException($"{photo} is not an image Skia reads.");
        return decoded.Copy(SKColorType.Rgba8888) ?? throw new InvalidOperationException("no RGBA copy");
    }
}
