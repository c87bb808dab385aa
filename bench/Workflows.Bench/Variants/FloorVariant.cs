using System.Globalization;
using SkiaSharp;
using Workflows.Assets.Imaging;
using Workflows.Bench.Quality;

namespace Workflows.Bench.Variants;

/// <summary>
/// The floor for a JPEG original: what libjpeg-turbo and libwebp need at the least. One <c>djpeg -scale M/8</c>
/// decode at the smallest scale still as wide as the largest rendition, plus one <c>cjpeg -quality</c> (or
/// <c>cwebp -q … -m 3</c>, the method Skia's encoder uses) per width at the profile's quality for the format
/// (<see cref="Profile"/>: JPEG q80, WebP q83), of pixels already at the exact size: no resize, no orientation, no
/// process start. <c>webp-effort</c> encodes the same pixels at every cwebp method, at the same quality.
/// </summary>
internal sealed class FloorVariant(References references) : IVariant
{
    public const int SkiaWebpMethod = 3;

    /// <summary>Answers with each tool's start cost (ms) as metrics, so the report can show what was subtracted.</summary>
    public const string StartCostOp = "start-cost";

    private readonly FloorTools _tools = new();

    public Task<OpResult> RunAsync(string op, BenchImage image, OutputSink? sink, CancellationToken ct)
    {
        if (op == StartCostOp)
        {
            return Task.FromResult(new OpResult(TimeSpan.Zero, _tools.StartCost.ToDictionary(t => t.Key, t => t.Value.TotalMilliseconds)));
        }

        RenditionChain chain = Profile.Chain(op == "jpeg" ? RenditionFormat.Jpeg : RenditionFormat.Webp);
        Dictionary<string, double> stages = [];
        TimeSpan decode = _tools.Measure("djpeg", "-scale", $"{DecodeEighths(image.Bytes, chain.Sizes[0])}/8", "-ppm", "-outfile", "/dev/null", image.Path);
        stages["decode"] = decode.TotalMilliseconds;
        if (op != "webp-effort")
        {
            return Task.FromResult(new OpResult(decode + EncodeChain(chain, image.Path, op == "jpeg" ? null : SkiaWebpMethod, sink, op, stages), stages));
        }

        TimeSpan cpu = decode;
        for (int method = 0; method <= 6; method++)
        {
            Dictionary<string, double> perWidth = [];
            cpu += EncodeChain(chain, image.Path, method, sink, $"m{method}", perWidth);
            stages[$"m{method}"] = perWidth.Values.Sum();
        }

        return Task.FromResult(new OpResult(cpu, stages));
    }

    /// <summary>
    /// Encodes every width, recording each as <c>{prefix}-{width}</c> in <paramref name="stages"/>; outputs are
    /// discarded, or kept under the same names when a sink is given.
    /// </summary>
    private TimeSpan EncodeChain(RenditionChain chain, string inputPath, int? webpMethod, OutputSink? sink, string prefix, Dictionary<string, double> stages)
    {
        TimeSpan cpu = TimeSpan.Zero;
        foreach (RenditionSize profileSize in chain.Sizes)
        {
            string exact = references.ExactPath(inputPath, profileSize);
            string output = sink is null ? "/dev/null"
                : Path.Combine(Directory.CreateDirectory(sink.Folder).FullName, $"{prefix}-{profileSize.Name}.{Profile.Extension(chain.Format)}");
            string quality = chain.Quality.ToString(CultureInfo.InvariantCulture);
            TimeSpan encode = webpMethod is null
                ? _tools.Measure("cjpeg", "-quality", quality, "-outfile", output, exact)
                : _tools.Measure("cwebp", "-quiet", "-q", quality, "-m", webpMethod.Value.ToString(CultureInfo.InvariantCulture), exact, "-o", output);
            stages[$"{prefix}-{profileSize.Name}"] = encode.TotalMilliseconds;
            cpu += encode;
        }

        return cpu;
    }

    /// <summary>The smallest n/8 scale whose upright width still covers <paramref name="largestWidth"/>.</summary>
    private static int DecodeEighths(byte[] jpeg, RenditionSize largest)
    {
        using var data = SKData.CreateCopy(jpeg);
        using SKCodec codec = SKCodec.Create(data) ?? throw new InvalidDataException("Not a JPEG Skia can read.");
        bool swap = (int)codec.EncodedOrigin >= 5;
        int uprightWidth = swap ? codec.Info.Height : codec.Info.Width;
        int largestWidth = Profile.Fit(largest, uprightWidth, swap ? codec.Info.Width : codec.Info.Height).Width;
        int eighths = 1;
        while (eighths < 8 && (uprightWidth * eighths + 7) / 8 < largestWidth)
        {
            eighths++;
        }

        return eighths;
    }
}
