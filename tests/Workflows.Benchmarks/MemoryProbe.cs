using System.Diagnostics;
using Workflows.Assets.Imaging;
using Workflows.Tests.TestSupport;

namespace Workflows.Benchmarks;

/// <summary>
/// <c>--memory jpeg|png|tiff|cmyk-tiff|psd|jxl|avif|dng|file [path]</c>: peak working-set growth of one 12 MP
/// inspection plus one JPEG rendition chain (1600/800/200), the number behind the decode limiter's default and the
/// README's memory per format. <c>file</c> measures a file given by path (e.g. a phone HEIC). Run each kind in its
/// own process.
/// </summary>
internal static class MemoryProbe
{
    public static async Task RunAsync(string kind, string? path)
    {
        byte[] original = kind switch
        {
            "png" => TestImages.Png(4000, 3000),
            "tiff" => TestImages.Tiff(4000, 3000, new TestTiff(TestTiffCompression.Lzw, Predictor: true)),
            "cmyk-tiff" => TestImages.CmykJpegTiff(4000, 3000, "Heidelberg", "Linoscan 1400", DateTime.UnixEpoch),
            "psd" => TestImages.Psd(4000, 3000),
            "jxl" => TestImages.JpegXl(4000, 3000),
            "avif" => TestImages.Avif(4000, 3000),
            "dng" => TestImages.Dng(4000, 3000, TestExif.PhonePortrait),
            "file" => File.ReadAllBytes(path ?? throw new ArgumentException("--memory file needs a path")),
            _ => TestImages.PhotoJpeg(4000, 3000),
        };
        using var limiter = new DecodeLimiter(1);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        // Linux: reset the peak (VmHWM) so generating the test image does not count.
        File.WriteAllText("/proc/self/clear_refs", "5");
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        long before = process.WorkingSet64;

        await new ImageInspector(ImageLimits.Default).InspectAsync(new MemoryStream(original), CancellationToken.None);
        process.Refresh();
        long afterInspect = process.PeakWorkingSet64;
        await new RenditionRenderer(limiter, ImageLimits.Default).RenderAsync(
            new MemoryStream(original), [RenditionProfile.Default.Chains[0]], (_, _, _) => Task.CompletedTask, CancellationToken.None);
        process.Refresh();

        Console.WriteLine($"{path ?? kind + " 4000 × 3000"} ({original.Length / 1024} KiB): peak working set +{(afterInspect - before) >> 20} MB after inspect, " +
            $"+{(process.PeakWorkingSet64 - before) >> 20} MB after the jpeg chain");
    }
}
