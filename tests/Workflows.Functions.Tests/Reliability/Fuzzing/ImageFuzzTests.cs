using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets;
using Workflows.Assets.Imaging;
using Workflows.Tests.Assets;
using Workflows.Tests.TestSupport;
using Xunit.Abstractions;

namespace Workflows.Tests.Reliability.Fuzzing;

/// <summary>
/// A mutated-image corpus (<see cref="ImageMutations"/> of a real file of every accepted format, thousands of frames,
/// decompression bombs) through what the activities call (<see cref="IAssetImaging"/>: inspection, then every
/// rendition of the default profile), and a sample through the whole pipeline. Every input is rendered or rejected
/// with a reason (<see cref="ImageRejectedException"/>); any other exception is a crash. Resident memory is measured.
/// Quick: 8 bit-flipped files per format, 1,000 GIF and WebP frames, 300 TIFF pages; <c>WORKFLOWS_RELIABILITY=long</c>:
/// 150, 5,000 and 3,000.
/// </summary>
[Collection(nameof(ReliabilityRunsAlone))]
public sealed class ImageFuzzTests(ITestOutputHelper output)
{
    // Far above what a 160 × 120 file needs, far below what one decompression bomb would take.
    private const long MaxPeakGrowthMb = 1024;

    [Fact]
    public async Task InspectAndRender_MutatedFilesOfEveryFormat_RenderedOrRejectedWithAReasonNeverCrash()
    {
        // Arrange
        var run = ReliabilityRun.Current;
        using var services = new ServiceCollection().AddLogging().AddImaging(new ConfigurationBuilder().Build()).BuildServiceProvider();
        IAssetImaging imaging = new AssetImaging(
            services.GetRequiredService<RenditionProfile>(), services.GetRequiredService<ImageInspector>(), services.GetRequiredService<RenditionRenderer>());
        SortedDictionary<string, int> counts = new(StringComparer.Ordinal);
        List<string> crashes = [];
        GC.Collect();
        PeakMemory.Reset();
        var (startMb, _) = PeakMemory.Read();

        // Act
        foreach (var (format, mutation, content) in Corpus(run))
        {
            var outcome = await TryAsync(imaging, content);
            counts[$"{format} {mutation} {outcome.Split(':')[0]}"] = counts.GetValueOrDefault($"{format} {mutation} {outcome.Split(':')[0]}") + 1;
            if (outcome.StartsWith("crash", StringComparison.Ordinal) || (mutation == "original" && outcome != "rendered"))
            {
                crashes.Add($"{format} {mutation} ({content.Length} bytes): {outcome}");
            }
        }

        // Assert
        var (endMb, peakMb) = PeakMemory.Read();
        int Total(string outcome) => counts.Where(c => c.Key.EndsWith(outcome, StringComparison.Ordinal)).Sum(c => c.Value);
        output.WriteLine($"image fuzzing ({run.Name}, seed {run.Seed}): {counts.Values.Sum()} files, {Total(" rendered")} rendered, " +
            $"{Total(" rejected")} rejected with a reason, {crashes.Count} crashes; " +
            $"resident memory {startMb} MB before, peak {peakMb} MB (+{peakMb - startMb} MB), {endMb} MB after; load {LoadAverage()}");
        output.WriteLine(string.Join(Environment.NewLine, counts.Select(c => $"  {c.Key}: {c.Value}")));
        Assert.True(crashes.Count == 0, string.Join(Environment.NewLine, crashes));
        Assert.True(peakMb - startMb < MaxPeakGrowthMb, $"peak resident memory grew {peakMb - startMb} MB");
    }

    /// <summary>Every format's mutations (and the original, which must render), thousands of frames, two bombs.</summary>
    internal static IEnumerable<(string Format, string Mutation, byte[] Content)> Corpus(ReliabilityRun run)
    {
        var random = new Random(run.Seed);
        foreach (var (format, _, original) in ImageSeeds.Originals())
        {
            yield return (format, "original", original);
            foreach (var (mutation, content) in ImageMutations.Of(format, original, random, run.Pick(8, 150)))
            {
                yield return (format, mutation, content);
            }
        }

        yield return ("gif", "frames", ImageSeeds.AnimatedGif(run.Pick(1000, 5000)));
        yield return ("webp", "frames", ImageSeeds.AnimatedWebp(run.Pick(1000, 5000)));
        yield return ("tiff", "frames", ImageSeeds.MultiPageTiff(run.Pick(300, 3000)));
        yield return ("png", "bomb", TestImages.PngBomb());
        yield return ("tiff", "bomb", TestImages.TiffBomb());
    }

    /// <summary>"rendered", "rejected: reason" or "crash: exception", as the inspection and rendering activities see it.</summary>
    private static async Task<string> TryAsync(IAssetImaging imaging, byte[] content)
    {
        // A guard against a decoder that never returns, not a time limit: far beyond any file's time on a loaded machine.
        using var timeout = new Deadline(TimeSpan.FromMinutes(10));
        try
        {
            // As the activities read it: inspection the header only (a JPEG's), the rendering all of it, hashed.
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await imaging.InspectAsync(InspectionExtent.View(content), timeout.Token);
            await imaging.RenderRenditionsAsync(new MemoryStream(content), hash, imaging.Profile.Chains, (_, rendition, ct) => rendition.CopyToAsync(Stream.Null, ct), timeout.Token);
            return "rendered";
        }
        catch (ImageRejectedException ex) when (!string.IsNullOrWhiteSpace(ex.Message))
        {
            return "rejected: " + ex.Message;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return "crash: hung for 10 minutes";
        }
        catch (Exception ex)
        {
            return $"crash: {ex.GetType().Name}: {ex.Message}";
        }
    }

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
