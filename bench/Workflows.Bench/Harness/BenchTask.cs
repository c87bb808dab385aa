using System.Globalization;
using Workflows.Bench.Inputs;
using Workflows.Bench.Variants;

namespace Workflows.Bench.Harness;

/// <summary>One measured cell: a variant's operation on an input class, with its samples (one per round).</summary>
internal sealed class BenchTask(VariantInfo variant, string op, BenchInput input)
{
    public VariantInfo Variant => variant;

    public string Op => op;

    public BenchInput Input => input;

    public List<Sample> Samples { get; } = [];

    /// <summary>Null while it runs; otherwise why it has no figures ("rejected: …" by the app, "fail: …").</summary>
    public string? Status { get; set; }

    /// <summary>PSNR (dB) of each kept 800 px output against the reference, averaged over the class's files, by output name.</summary>
    public Dictionary<string, double> Psnr { get; } = [];

    public bool Measured => Status is null && Samples.Count > 0;

    public double MedianCpu => Stats.Median(Samples.Select(s => s.CpuMs));

    public double BestCpu => Samples.Min(s => s.CpuMs);

    public double PeakMb => Samples.Max(s => s.PeakMb);

    public double Metric(string name) => Stats.Median(Samples.Select(s => s.Metrics.GetValueOrDefault(name)));

    public string OutputFolder(string runFolder) => Path.Combine(runFolder, variant.Name, input.Id, op);

    /// <summary>Takes a worker's reply (see <see cref="Worker"/>): a sample per image when <paramref name="keep"/>, or why there is none.</summary>
    public void Record(string[] reply, bool keep)
    {
        if (reply[0] != "ok")
        {
            Status = $"{reply[0]}: {reply.ElementAtOrDefault(1)}";
            Console.Error.WriteLine($"  {variant.Name} {op} {input.Id}: {Status}");
            return;
        }

        if (keep)
        {
            int images = int.Parse(reply[4], CultureInfo.InvariantCulture);
            Samples.Add(new Sample(
                Micros(reply[1]) / images, Micros(reply[2]) / images, long.Parse(reply[3], CultureInfo.InvariantCulture) / 1024.0,
                Sample.ParseMetrics(reply[5]).ToDictionary(m => m.Key, m => m.Value / images)));
        }
    }

    private static double Micros(string value) => long.Parse(value, CultureInfo.InvariantCulture) / 1000.0;
}

/// <summary>One round's figures for a task: CPU and wall time per image, peak RSS growth over the operation.</summary>
internal sealed record Sample(double CpuMs, double WallMs, double PeakMb, IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>Reads <c>name=value;…</c>.</summary>
    public static Dictionary<string, double> ParseMetrics(string text) =>
        text.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('='))
            .ToDictionary(kv => kv[0], kv => double.Parse(kv[1], CultureInfo.InvariantCulture));
}

internal static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
