using System.Text;
using Workflows.Bench.Harness;
using Workflows.Bench.Inputs;
using Workflows.Bench.Variants;

namespace Workflows.Bench.Reporting;

/// <summary>The printed result: Markdown, ready to paste into the README's Performance section.</summary>
internal static class Report
{
    public static string Render(RunInfo run, IReadOnlyList<BenchInput> inputs, IReadOnlyList<BenchTask> tasks, string runFolder)
    {
        var findings = new Findings(tasks);
        var text = new StringBuilder();
        Header(text, run);
        foreach (string op in Findings.ChainOps)
        {
            text.AppendLine(Format.Invariant($"\n**{op.ToUpperInvariant()} chain** (1600/800/200 q{Profile.Chain(op).Quality}): CPU ms per image, median (best); ratio = app ÷ other, < 1 means the app is ahead\n"));
            text.Append(ChainTable(findings, inputs, op));
        }

        text.AppendLine(Format.Invariant($"\n**Quality gate**: PSNR (dB) of the 800 px rendition against a Lanczos3 reference from a full decode; † in a ratio: the faster side is > 0.5 dB worse, its lead does not count\n"));
        text.Append(QualityTable(findings, inputs));
        AssetReport.Render(text, run, findings, inputs, runFolder);
        LeverReport.Render(text, findings, runFolder);
        WebpGridReport.Render(text, findings, inputs, runFolder);
        Targets.Render(text, findings, inputs);
        Notes(text, run, tasks);
        return text.ToString();
    }

    private static void Header(StringBuilder text, RunInfo run)
    {
        text.AppendLine(Format.Invariant($"### Renditions against the anchors ({run.Options.Mode}, {run.Started:yyyy-MM-dd HH:mm zzz})\n"));
        text.AppendLine(Format.Invariant($"- Machine: {Machine.Describe()}; load average {run.LoadAtStart} at the start, {run.LoadAtEnd} at the end."));
        text.AppendLine(Format.Invariant(
            $"- {run.Options.Rounds} interleaved round(s) after {run.Options.Warmups} warm-up(s); each variant in its own worker process{(run.Core is { } core ? $" pinned to core {core}" : " (not pinned: taskset missing or --core -1)")}; run took {run.Elapsed.TotalMinutes:0.0} min."));
        text.AppendLine("- CPU = user + system time of the worker (getrusage) around the operation; the floor's is its child processes' minus an empty run of each tool"
            + (run.FloorStartCost.Count > 0 ? " (" + string.Join(", ", run.FloorStartCost.Select(c => Format.Invariant($"{c.Key} {c.Value:0.0} ms"))) + ")." : "."));
        text.AppendLine("- Variants: " + string.Join("; ", VariantCatalog.Anchors.Select(v => $"**{v.Name}**: {v.Description}")) + ".");
    }

    private static string ChainTable(Findings findings, IReadOnlyList<BenchInput> inputs, string op)
    {
        string[] others = [.. Findings.AnchorNames, VariantCatalog.Floor];
        var table = new Table([
            "input", VariantCatalog.App, .. others, .. others.Select(o => $"app ÷ {o}"),
        ]);
        foreach (BenchInput input in inputs)
        {
            table.Add([
                input.Id,
                findings.Cell(VariantCatalog.App, op, input.Id),
                .. others.Select(o => findings.Cell(o, op, input.Id)),
                .. others.Select(o => findings.RatioCell(VariantCatalog.App, o, op, input.Id)),
            ]);
        }

        return table.ToString();
    }

    private static string QualityTable(Findings findings, IReadOnlyList<BenchInput> inputs)
    {
        string[] variants = [VariantCatalog.App, .. Findings.AnchorNames, VariantCatalog.Floor];
        var table = new Table(["input", "chain", .. variants]);
        foreach (BenchInput input in inputs)
        {
            foreach (string op in Findings.ChainOps)
            {
                table.Add([input.Id, op, .. variants.Select(v => Format.Db(Findings.Psnr(findings.Find(v, op, input.Id), op)))]);
            }
        }

        return table.ToString();
    }

    private static void Notes(StringBuilder text, RunInfo run, IReadOnlyList<BenchTask> tasks)
    {
        List<string> notes = [.. run.Notes];
        notes.AddRange(tasks.Where(t => t.Status is not null).Select(t => $"{t.Variant.Name} {t.Op} on {t.Input.Id}: {t.Status}"));
        if (notes.Count > 0)
        {
            text.AppendLine("\nNotes:");
            notes.ForEach(n => text.Append("- ").AppendLine(n));
        }
    }
}
