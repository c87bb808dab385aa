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
}

/// <summary>One round's figures for a task: CPU and wall time per image, peak RSS growth over the operation.</summary>
internal sealed record Sample(double CpuMs, double WallMs, double PeakMb, IReadOnlyDictionary<string, double> Metrics);

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
