using System.Text;
using Workflows.Bench.Harness;
using Workflows.Bench.Inputs;
using Workflows.Bench.Quality;
using Workflows.Bench.Variants;

namespace Workflows.Bench.Reporting;

/// <summary>The app per asset (CPU against the floor, memory per in-flight asset) and what its renditions carry besides pixels.</summary>
internal static class AssetReport
{
    private const string App = VariantCatalog.App;
    private const string Floor = VariantCatalog.Floor;

    private static readonly string[] Extensions = [".jpg", ".webp"];

    private static readonly string[] AppOps = ["inspect", "jpeg", "webp", "asset"];

    public static void Render(StringBuilder text, RunInfo run, Findings findings, IReadOnlyList<BenchInput> inputs, string runFolder)
    {
        text.AppendLine("\n**Per asset (app)**: CPU ms per image, median (best); asset = inspect, then every chain from one decode (RenderRenditions)\n");
        var asset = new Table("input", "inspect", "jpeg chain", "webp chain", "asset", "webp ÷ jpeg", "jpeg ÷ floor jpeg", "asset ÷ floor jpeg", "asset ÷ floor jpeg+webp");
        foreach (BenchInput input in inputs)
        {
            string id = input.Id;
            asset.Add(id, findings.Cell(App, "inspect", id), findings.Cell(App, "jpeg", id), findings.Cell(App, "webp", id),
                findings.Cell(App, "asset", id), findings.RatioCell(App, App, "webp", id, otherOp: "jpeg"),
                findings.RatioCell(App, Floor, "jpeg", id), findings.RatioCell(App, Floor, "asset", id, otherOp: "jpeg"),
                Format.Ratio(findings.Median(App, "asset", id) / (findings.Median(Floor, "jpeg", id) + findings.Median(Floor, "webp", id))));
        }

        text.Append(asset);

        string[] anchors = [.. Findings.AnchorNames];
        text.AppendLine("\n**Memory**: peak resident-set growth over one operation (MB; freed memory handed back before each)\n");
        var memory = new Table(["input", .. AppOps.Select(op => $"app {op}"), .. anchors.Select(a => $"{a} jpeg")]);
        foreach (BenchInput input in inputs)
        {
            memory.Add([input.Id, .. AppOps.Select(op => PeakCell(findings, App, op, input.Id)),
                .. anchors.Select(a => PeakCell(findings, a, "jpeg", input.Id))]);
        }

        text.Append(memory);
        text.AppendLine("\nPeak resident set of each worker process over the run (MB; the floor: its largest tool process): "
            + string.Join(", ", run.WorkerPeakMb.Select(p => $"{p.Key} {Format.Mb(p.Value)}")) + ".");

        if (inputs.FirstOrDefault(i => findings.Find(App, "jpeg", i.Id) is { Measured: true }) is { } probe)
        {
            text.AppendLine(Format.Invariant($"\n**What the 200 px renditions carry** ({probe.Id}): bytes, and the embedded ICC profile's share\n"));
            var metadata = new Table("variant", "jpeg-200 bytes", "ICC bytes", "ICC share", "webp-200 bytes", "ICC bytes", "ICC share");
            foreach (string variant in new[] { App }.Concat(anchors).Append(Floor))
            {
                string[] cells = Findings.ChainOps.SelectMany(op => IccCells(Path.Combine(runFolder, variant, probe.Id, op, "0", $"{op}-200"))).ToArray();
                metadata.Add([variant, .. cells]);
            }

            text.Append(metadata);
        }
    }

    private static string PeakCell(Findings findings, string variant, string op, string inputId) =>
        findings.Find(variant, op, inputId) is { Measured: true } task ? Format.Mb(task.PeakMb) : "–";

    private static string[] IccCells(string pathWithoutExtension)
    {
        string? file = Extensions.Select(ext => pathWithoutExtension + ext).FirstOrDefault(File.Exists);
        if (file is null)
        {
            return ["–", "–", "–"];
        }

        byte[] bytes = File.ReadAllBytes(file);
        int icc = IccProbe.ProfileBytes(bytes);
        return [bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), icc.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Format.Invariant($"{100.0 * icc / bytes.Length:0.0}%")];
    }
}
