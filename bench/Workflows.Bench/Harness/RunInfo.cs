using System.Globalization;
using System.Runtime.InteropServices;

namespace Workflows.Bench.Harness;

/// <summary>What the report says about the run itself: when, where, how, and under what load.</summary>
internal sealed class RunInfo(BenchOptions options, string loadAtStart)
{
    public BenchOptions Options => options;

    public DateTimeOffset Started { get; } = DateTimeOffset.Now;

    public string LoadAtStart => loadAtStart;

    public string LoadAtEnd { get; set; } = "";

    public TimeSpan Elapsed { get; set; }

    /// <summary>The core workers are pinned to, or null when <c>taskset</c> is missing or pinning is off.</summary>
    public int? Core { get; } = options.Core is { } core && Machine.HasTaskset() ? core : null;

    public Dictionary<string, double> WorkerPeakMb { get; } = [];

    public Dictionary<string, double> FloorStartCost { get; set; } = [];

    public List<string> Notes { get; } = [];
}

internal static class Machine
{
    /// <summary>The 1, 5 and 15-minute load averages.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public static string Describe()
    {
        string model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";
        return string.Create(CultureInfo.InvariantCulture,
            $"{model}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
    }

    public static bool HasTaskset() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, "taskset")));
}
