using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using SkiaSharp;
using Workflows.Assets.Imaging;
using Workflows.Tests.TestSupport;

namespace Workflows.Benchmarks;

/// <summary>
/// One JPEG rendition chain (1600, 800, 200 px at q80) from a generated 12 MP photo-like JPEG, four ways:
/// decode once and cascade (with and without libjpeg-turbo's reduced-scale decode) against decoding the
/// original again for every size (with and without it). The first is what <see cref="RenditionRenderer"/> does.
/// </summary>
[Config(typeof(Config))]
public class RenditionBenchmarks
{
    private static readonly int[] Widths = [1600, 800, 200];
    private static readonly RenditionChain Chain = new(RenditionFormat.Jpeg, 80, RenditionProfile.DefaultSizes);
    private static readonly RenditionChain WebpChain = new(RenditionFormat.Webp, 80, RenditionProfile.DefaultSizes);

    private byte[] _original = [];
    private DecodeLimiter _limiter = null!;
    private RenditionRenderer _renderer = null!;
    private ImageInspector _inspector = null!;

    [GlobalSetup]
    public void Setup()
    {
        _original = TestImages.PhotoJpeg(4000, 3000, quality: 90);
        _limiter = new DecodeLimiter(1);
        _renderer = new RenditionRenderer(_limiter, ImageLimits.Default);
        _inspector = new ImageInspector(ImageLimits.Default);
        Console.WriteLine($"// original: 4000 × 3000 JPEG q90, {_original.Length / 1024} KiB");
    }

    [GlobalCleanup]
    public void Cleanup() => _limiter.Dispose();

    [Benchmark(Description = "cascade, reduced-scale decode (renderer)")]
    public Task<IReadOnlyList<RenditionInfo>> CascadeReducedScale() =>
        _renderer.RenderAsync(new MemoryStream(_original), [Chain], (_, _, _) => Task.CompletedTask, CancellationToken.None);

    [Benchmark(Description = "cascade, full decode")]
    public long CascadeFullDecode()
    {
        using ImageDecoder image = Open();
        using SKBitmap decoded = image.Decode(int.MaxValue);
        return Cascade(decoded);
    }

    [Benchmark(Baseline = true, Description = "decode per size, full decode")]
    public long PerSizeFullDecode() => PerSize(reducedScale: false);

    [Benchmark(Description = "decode per size, reduced-scale decode")]
    public long PerSizeReducedScale() => PerSize(reducedScale: true);

    [Benchmark(Description = "webp chain, cascade, reduced-scale decode")]
    public Task<IReadOnlyList<RenditionInfo>> WebpCascadeReducedScale() =>
        _renderer.RenderAsync(new MemoryStream(_original), [WebpChain], (_, _, _) => Task.CompletedTask, CancellationToken.None);

    [Benchmark(Description = "inspect (hash, header, EXIF, verifying 1/8 decode)")]
    public Task<ImageInspection> Inspect() => _inspector.InspectAsync(new MemoryStream(_original), CancellationToken.None);

    private long PerSize(bool reducedScale)
    {
        long bytes = 0;
        foreach (int width in Widths)
        {
            using ImageDecoder image = Open();
            using SKBitmap decoded = image.Decode(reducedScale ? width : int.MaxValue);
            using SKBitmap sized = ImageTransforms.Draw(decoded, image.Origin, width, width * 3 / 4, SKColors.White);
            using MemoryStream encoded = RenditionRenderer.Encode(sized, RenditionFormat.Jpeg, 80);
            bytes += encoded.Length;
        }

        return bytes;
    }

    private static long Cascade(SKBitmap decoded)
    {
        long bytes = 0;
        SKBitmap current = decoded;
        foreach (int width in Widths)
        {
            SKBitmap next = ImageTransforms.Draw(current, SKEncodedOrigin.TopLeft, width, width * 3 / 4, SKColors.White);
            if (!ReferenceEquals(current, decoded))
            {
                current.Dispose();
            }

            current = next;
            using MemoryStream encoded = RenditionRenderer.Encode(current, RenditionFormat.Jpeg, 80);
            bytes += encoded.Length;
        }

        current.Dispose();
        return bytes;
    }

    // The decoder keeps the data alive (Skia's codec holds a reference; Magick's decoder the object).
    private ImageDecoder Open() => ImageDecoder.Open(SKData.CreateCopy(_original), ImageLimits.Default);

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            // In-process: no generated project to build (the repo's warnings-as-errors would apply to it).
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(15));
            AddColumn(StatisticColumn.Median, StatisticColumn.Min);
            AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default);
            WithOptions(ConfigOptions.JoinSummary);
        }
    }
}
