using System.Diagnostics;
using System.Globalization;
using SkiaSharp;
using Workflows.Assets.Imaging;
using Workflows.Tests.TestSupport;

namespace Workflows.Benchmarks;

/// <summary>
/// <c>--avif [rounds]</c>: the 1600/800/200 chain of a 12 MP photo-like JPEG encoded as WebP at the profile's quality
/// (<see cref="RenditionProfile.DefaultWebpQuality"/>) and as AVIF at the lowest quality (in steps of 5) that matches
/// WebP's PSNR at 1600 px ("equal quality"), timed interleaved; prints median encode time and bytes per chain and their
/// ratios.
/// </summary>
internal static class AvifComparison
{
    private static readonly int[] Widths = [1600, 800, 200];

    public static void Run(int rounds)
    {
        using SKBitmap original = TestImages.Decode(TestImages.PhotoJpeg(4000, 3000, quality: 90));
        SKBitmap[] sizes = [.. Widths.Select(w => original.Resize(new SKImageInfo(w, w * 3 / 4), new SKSamplingOptions(SKFilterMode.Linear)))];
        const int webpQuality = RenditionProfile.DefaultWebpQuality;
        double webpPsnr = Psnr(sizes[0], Encode(sizes[0], RenditionFormat.Webp, webpQuality));
        int avifQuality = Enumerable.Range(6, 13).Select(step => step * 5).First(q => Psnr(sizes[0], Encode(sizes[0], RenditionFormat.Avif, q)) >= webpPsnr);
        (RenditionFormat Format, int Quality)[] variants = [(RenditionFormat.Webp, webpQuality), (RenditionFormat.Avif, avifQuality)];
        var times = variants.Select(_ => new List<double>()).ToArray();
        var bytes = new long[variants.Length];
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < variants.Length; k++)
            {
                int i = (k + round) % variants.Length;
                long start = Stopwatch.GetTimestamp();
                bytes[i] = sizes.Sum(s => Encode(s, variants[i].Format, variants[i].Quality).LongLength);
                times[i].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{rounds} interleaved rounds; WebP q{webpQuality} PSNR at 1600 px {webpPsnr:0.0} dB, matched by AVIF q{avifQuality} (speed {Workflows.Assets.Imaging.Magick.MagickEncoder.AvifSpeed})"));
        Console.WriteLine("| chain (1600/800/200) | median encode ms | bytes | time / WebP | bytes / WebP |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        for (int i = 0; i < variants.Length; i++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {variants[i].Format} q{variants[i].Quality} | {Median(times[i]):0} | {bytes[i]} | {Median(times[i]) / Median(times[0]):0.00} | {(double)bytes[i] / bytes[0]:0.00} |"));
        }

        Array.ForEach(sizes, s => s.Dispose());
    }

    private static byte[] Encode(SKBitmap bitmap, RenditionFormat format, int quality)
    {
        using MemoryStream encoded = RenditionRenderer.Encode(bitmap, format, quality);
        return encoded.ToArray();
    }

    // PSNR over RGB of the encoded image decoded back (through the app's own inspector-free decoders).
    private static double Psnr(SKBitmap reference, byte[] encoded)
    {
        using SKData content = SKData.CreateCopy(encoded);
        using ImageDecoder decoder = ImageDecoder.Open(content, ImageLimits.Default);
        using SKBitmap decoded = decoder.Decode(int.MaxValue);
        double sum = 0;
        for (int y = 0; y < reference.Height; y++)
        {
            for (int x = 0; x < reference.Width; x++)
            {
                SKColor a = reference.GetPixel(x, y);
                SKColor b = decoded.GetPixel(x, y);
                sum += Math.Pow(a.Red - b.Red, 2) + Math.Pow(a.Green - b.Green, 2) + Math.Pow(a.Blue - b.Blue, 2);
            }
        }

        double mse = sum / (3.0 * reference.Width * reference.Height);
        return 10 * Math.Log10(255 * 255 / mse);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
