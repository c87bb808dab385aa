using System.Diagnostics;
using System.Globalization;

namespace Workflows.Benchmarks;

/// <summary>
/// <c>--interleaved [rounds]</c>: runs every variant once per round, in rotating order, and prints median and
/// best time per variant and their ratios to the baseline. On a shared, noisy machine this is fairer than
/// BenchmarkDotNet's one-benchmark-after-another runs, because a burst of load hits all variants alike.
/// </summary>
internal static class InterleavedHarness
{
    public static async Task RunAsync(int rounds)
    {
        var benchmarks = new RenditionBenchmarks();
        benchmarks.Setup();
        (string Name, Func<Task> Run)[] variants =
        [
            ("cascade, reduced-scale decode (renderer)", () => benchmarks.CascadeReducedScale()),
            ("cascade, full decode", () => Task.FromResult(benchmarks.CascadeFullDecode())),
            ("decode per size, full decode (baseline)", () => Task.FromResult(benchmarks.PerSizeFullDecode())),
            ("decode per size, reduced-scale decode", () => Task.FromResult(benchmarks.PerSizeReducedScale())),
            ("webp chain, cascade, reduced-scale decode", () => benchmarks.WebpCascadeReducedScale()),
            ("inspect (hash, header, EXIF, verify)", () => benchmarks.Inspect()),
        ];
        const int baseline = 2;

        var times = variants.Select(_ => new List<double>()).ToArray();
        foreach (var variant in variants)
        {
            await variant.Run(); // warm-up
        }

        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < variants.Length; k++)
            {
                int i = (k + round) % variants.Length;
                long start = Stopwatch.GetTimestamp();
                await variants[i].Run();
                times[i].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }

        benchmarks.Cleanup();
        double baseMedian = Median(times[baseline]);
        double baseMin = times[baseline].Min();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rounds} interleaved rounds, {Environment.ProcessorCount} cores, load average {LoadAverage()}"));
        Console.WriteLine("| variant | median ms | best ms | median / baseline | best / baseline |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        for (int i = 0; i < variants.Length; i++)
        {
            double median = Median(times[i]);
            double min = times[i].Min();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {variants[i].Name} | {median:0} | {min:0} | {median / baseMedian:0.00} | {min / baseMin:0.00} |"));
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
