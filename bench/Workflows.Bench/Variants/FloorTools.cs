using System.Diagnostics;
using Workflows.Bench.Harness;

namespace Workflows.Bench.Variants;

/// <summary>
/// Runs libjpeg-turbo's djpeg/cjpeg and libwebp's cwebp and charges each run its CPU (the child's rusage, read as
/// this process's children total before and after) minus what an empty run of the same tool costs: process start,
/// dynamic linking and a 16 × 16 image, measured here once as the median of a few runs.
/// </summary>
internal sealed class FloorTools
{
    public static readonly string[] Tools = ["djpeg", "cjpeg", "cwebp"];

    private readonly Dictionary<string, TimeSpan> _startCost = [];

    public FloorTools()
    {
        string folder = Directory.CreateTempSubdirectory("bench-floor-").FullName;
        string tinyPpm = Path.Combine(folder, "tiny.ppm");
        string tinyJpeg = Path.Combine(folder, "tiny.jpg");
        byte[] pixels = new byte[16 * 16 * 3];
        new Random(7).NextBytes(pixels);
        File.WriteAllBytes(tinyPpm, [.. "P6\n16 16\n255\n"u8, .. pixels]);
        Run("cjpeg", "-quality", "80", "-outfile", tinyJpeg, tinyPpm);
        _startCost["djpeg"] = Median(() => Run("djpeg", "-scale", "1/8", "-ppm", "-outfile", "/dev/null", tinyJpeg));
        _startCost["cjpeg"] = Median(() => Run("cjpeg", "-quality", "80", "-outfile", "/dev/null", tinyPpm));
        _startCost["cwebp"] = Median(() => Run("cwebp", "-quiet", "-q", "80", tinyPpm, "-o", "/dev/null"));
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>What an empty run of each tool cost here, in ms (reported beside the floor).</summary>
    public IReadOnlyDictionary<string, TimeSpan> StartCost => _startCost;

    /// <summary>True when every tool is on the PATH.</summary>
    public static bool Available() =>
        Tools.All(tool => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, tool))));

    /// <summary>Runs one tool to completion and returns its CPU less the tool's start cost (never below zero).</summary>
    public TimeSpan Measure(string tool, params string[] arguments)
    {
        TimeSpan cpu = Run(tool, arguments);
        return cpu > _startCost[tool] ? cpu - _startCost[tool] : TimeSpan.Zero;
    }

    private static TimeSpan Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool, arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
        TimeSpan before = ProcessStats.ChildrenCpu();
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        string errors = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} exited {process.ExitCode}: {errors.Trim()}");
        }

        return ProcessStats.ChildrenCpu() - before;
    }

    private static TimeSpan Median(Func<TimeSpan> run)
    {
        TimeSpan[] runs = Enumerable.Range(0, 15).Select(_ => run()).Order().ToArray();
        return runs[runs.Length / 2];
    }
}
