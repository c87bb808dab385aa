using Workflows.Bench.Harness;
using Workflows.Bench.Quality;
using Workflows.Bench.Variants;

namespace Workflows.Bench.Reporting;

/// <summary>Looks tasks up by variant, operation and input, and renders their cells.</summary>
internal sealed class Findings(IReadOnlyList<BenchTask> tasks)
{
    /// <summary>The two rendition chains every variant runs.</summary>
    public static readonly string[] ChainOps = ["jpeg", "webp"];

    public IReadOnlyList<BenchTask> Tasks => tasks;

    public BenchTask? Find(string variant, string op, string inputId) =>
        tasks.FirstOrDefault(t => t.Variant.Name == variant && t.Op == op && t.Input.Id == inputId);

    public double Median(string variant, string op, string inputId) =>
        Find(variant, op, inputId) is { Measured: true } task ? task.MedianCpu : double.NaN;

    public static double? Psnr(BenchTask? task, string op) =>
        task is not null && task.Psnr.TryGetValue($"{op}-{References.GateWidth}", out double db) ? db : null;

    /// <summary>"median (best)" CPU ms per image, or why there is none.</summary>
    public string Cell(string variant, string op, string inputId) => Find(variant, op, inputId) switch
    {
        null => "–",
        { Measured: true } task => Cell(task),
        { Status: { } status } => status.StartsWith("rejected", StringComparison.Ordinal) ? "rejected" : "fail",
        _ => "–",
    };

    /// <summary>"median (best)" CPU ms per image of a measured task.</summary>
    public static string Cell(BenchTask task) => $"{Format.Ms(task.MedianCpu)} ({Format.Ms(task.BestCpu)})";

    /// <summary>
    /// Median of <paramref name="variant"/> over <paramref name="other"/>; marked † when the faster of the two is
    /// more than the gate's 0.5 dB below the slower in PSNR (its lead does not count).
    /// </summary>
    public string RatioCell(string variant, string other, string op, string inputId, string? otherOp = null)
    {
        BenchTask? mine = Find(variant, op, inputId);
        BenchTask? theirs = Find(other, otherOp ?? op, inputId);
        if (mine is not { Measured: true } || theirs is not { Measured: true })
        {
            return "–";
        }

        double ratio = mine.MedianCpu / theirs.MedianCpu;
        (BenchTask faster, BenchTask slower) = ratio < 1 ? (mine, theirs) : (theirs, mine);
        bool gated = QualityGate.LeadDoesNotCount(Psnr(faster, faster.Op), Psnr(slower, slower.Op));
        return Format.Ratio(ratio) + (gated ? " †" : "");
    }

    public static IEnumerable<string> AnchorNames =>
        VariantCatalog.Anchors.Select(v => v.Name).Where(n => n != VariantCatalog.App && n != VariantCatalog.Floor);
}
