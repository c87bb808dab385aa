using System.Diagnostics;
using System.Globalization;
using Workflows.Assets.Imaging;
using Workflows.Bench.Variants;

namespace Workflows.Bench.Harness;

/// <summary>
/// The worker process of one variant (started pinned to one core by <see cref="WorkerProcess"/>). Reads one
/// command a line, <c>run␉op␉saveFolder|-␉file|file…</c>, and answers one line: <c>ok␉cpuµs␉wallµs␉peakKiB␉images␉k=v;…</c>,
/// <c>rejected␉reason</c> (the app refused the input) or <c>fail␉error</c>. <c>quit</c> answers <c>bye␉peakKiB␉childPeakKiB</c>.
/// </summary>
internal static class Worker
{
    public static async Task<int> RunAsync(IVariant variant)
    {
        Console.Out.Flush();
        Console.WriteLine("ready");
        while (Console.ReadLine() is { } line && line != "quit")
        {
            string[] parts = line.Split('\t');
            Console.WriteLine(await RunOneAsync(variant, parts[1], parts[2] == "-" ? null : parts[2], parts[3].Split('|')));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bye\t{ProcessStats.PeakKib()}\t{ProcessStats.ChildrenPeakKib()}"));
        return 0;
    }

    private static async Task<string> RunOneAsync(IVariant variant, string op, string? saveFolder, string[] files)
    {
        BenchImage[] images = files.Select(f => new BenchImage(f, File.ReadAllBytes(f))).ToArray();
        variant.ReleasePools();
        ProcessStats.Settle();
        ProcessStats.ResetPeak();
        long rssBefore = ProcessStats.RssKib();
        TimeSpan cpuBefore = ProcessStats.SelfCpu();
        long started = Stopwatch.GetTimestamp();
        TimeSpan? reportedCpu = null;
        Dictionary<string, double> metrics = [];
        try
        {
            for (int i = 0; i < images.Length; i++)
            {
                OutputSink? sink = saveFolder is null ? null : new OutputSink(Path.Combine(saveFolder, i.ToString(CultureInfo.InvariantCulture)));
                OpResult result = await variant.RunAsync(op, images[i], sink, CancellationToken.None);
                if (result.Cpu is { } cpu)
                {
                    reportedCpu = (reportedCpu ?? TimeSpan.Zero) + cpu;
                }

                foreach ((string key, double value) in result.Metrics ?? new Dictionary<string, double>())
                {
                    metrics[key] = metrics.GetValueOrDefault(key) + value;
                }
            }
        }
        catch (ImageRejectedException ex)
        {
            return $"rejected\t{OneLine(ex.Message)}";
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return $"fail\t{OneLine($"{ex.GetType().Name}: {ex.Message}")}";
        }

        TimeSpan wall = Stopwatch.GetElapsedTime(started);
        TimeSpan used = reportedCpu ?? ProcessStats.SelfCpu() - cpuBefore;
        long peak = Math.Max(0, ProcessStats.PeakKib() - rssBefore);
        string extra = string.Join(';', metrics.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key}={m.Value:0.###}")));
        return string.Create(CultureInfo.InvariantCulture,
            $"ok\t{(long)used.TotalMicroseconds}\t{(long)wall.TotalMicroseconds}\t{peak}\t{images.Length}\t{extra}");
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Replace('\t', ' ');
}
