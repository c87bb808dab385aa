using System.Globalization;
using System.Text;
using Workflows.Assets.Imaging;
using Workflows.Bench.Harness;
using Workflows.Bench.Inputs;
using Workflows.Bench.Levers;
using Workflows.Bench.Variants;

namespace Workflows.Bench.Reporting;

/// <summary>The lever experiments' figures (present when run with <c>--levers</c> or <c>--full</c>).</summary>
internal static class LeverReport
{
    private const string App = VariantCatalog.App;
    private const string Lever = LeverCatalog.Name;

    private static readonly string[] Stages = ["decode", "draw-1600", "draw-800", "draw-200", "jpeg-1600", "jpeg-800", "jpeg-200", "webp-1600", "webp-800", "webp-200"];

    public static void Render(StringBuilder text, Findings findings, string runFolder)
    {
        if (!findings.Tasks.Any(t => t.Variant.Name == Lever && t.Measured))
        {
            return;
        }

        text.AppendLine("\n**Levers**: each row is the app's path with one thing changed (CPU ms per image, median (best); ratio to the first row of its group)\n");
        var table = new Table("lever", "input", "path", "CPU ms", "ratio", "PSNR jpeg / webp", "peak MB");
        Group(table, findings, "one decode for both chains", "jpeg-12mp", (App, "jpeg+webp"), (Lever, "shared-decode"));
        Group(table, findings, "one decode for both chains", "png-12mp", (App, "jpeg+webp"), (Lever, "shared-decode"));
        Group(table, findings, "fewer WebP sizes", "jpeg-12mp", (App, "webp"), (Lever, "webp-800-200"));
        Group(table, findings, "WebP method (app: 1)", "jpeg-12mp", (Lever, "stages-webp"), (Lever, "webp-m0"), (Lever, "webp-m2"), (Lever, "webp-m3"), (Lever, "webp-m4"));
        Group(table, findings, "WebP quality for JPEG's PSNR (ratio: ÷ JPEG chain)", "jpeg-12mp", (App, "jpeg"), (App, "webp"), (Lever, "webp-q85"), (Lever, "webp-q88"), (Lever, "webp-q90"));
        foreach (string input in new[] { "jpeg-12mp", "jpeg-12mp-rotated", "jpeg-12mp-progressive" })
        {
            Group(table, findings, "JPEG through Magick.NET's libjpeg-turbo (SIMD)", input,
                [(Lever, "stages-jpeg"), .. LeverCatalog.MagickJpeg.Select(op => (Lever, op))]);
        }

        Group(table, findings, "rotated against upright", "jpeg-12mp-rotated", (App, "jpeg"), (App, "jpeg@jpeg-12mp-portrait"));
        Group(table, findings, "progressive: full-size decode", "jpeg-12mp-progressive", (App, "jpeg"), (Lever, "jpeg-full-decode"), (App, "jpeg@jpeg-12mp"));
        Group(table, findings, "progressive: inspection", "jpeg-12mp-progressive", (App, "inspect"), (Lever, "verify-scanline"), (Lever, "verify-getpixels"), (Lever, "verify-structure"), (App, "inspect@jpeg-12mp"));
        text.Append(table);

        var stages = new Table(["input", "path", .. Stages, "total"]);
        foreach (BenchTask task in findings.Tasks.Where(t => t.Measured && t.Op != "webp-effort" && t.Samples[0].Metrics.ContainsKey("decode")).OrderBy(t => t.Input.Id, StringComparer.Ordinal))
        {
            stages.Add([task.Input.Id, $"{task.Variant.Name} {task.Op}", .. Stages.Select(s => task.Samples[0].Metrics.ContainsKey(s) ? Format.Ms(task.Metric(s)) : ""),
                Format.Ms(task.MedianCpu)]);
        }

        text.AppendLine("\n**Where the time goes** (the app's code stage by stage, beside the floor's tools; CPU ms per image, medians)\n");
        text.Append(stages);
        Effort(text, findings, runFolder);
    }

    /// <summary>Rows of one lever; a path "op@input" is measured on another input (a reference point).</summary>
    private static void Group(Table table, Findings findings, string lever, string inputId, params (string Variant, string Path)[] paths)
    {
        double? baseline = null;
        foreach ((string variant, string path) in paths)
        {
            string[] at = path.Split('@');
            string input = at.Length > 1 ? at[1] : inputId;
            BenchTask?[] parts = at[0].Split('+').Select(op => findings.Find(variant, op, input)).ToArray();
            if (parts.Any(p => p is not { Measured: true }))
            {
                continue;
            }

            double median = parts.Sum(p => p!.MedianCpu);
            baseline ??= median;
            string psnr = string.Join(" / ", parts.SelectMany(p => Findings.ChainOps.Select(op => Findings.Psnr(p, op))).Where(db => db is not null).Select(Format.Db));
            table.Add(lever, input, $"{variant} {at[0]}" + (at.Length > 1 ? $" (on {input})" : ""),
                $"{Format.Ms(median)} ({Format.Ms(parts.Sum(p => p!.BestCpu))})", Format.Ratio(median / baseline.Value), psnr,
                Format.Mb(parts.Max(p => p!.PeakMb)));
        }
    }

    private static void Effort(StringBuilder text, Findings findings, string runFolder)
    {
        if (findings.Find(VariantCatalog.Floor, "webp-effort", "jpeg-12mp") is not { Measured: true } effort)
        {
            return;
        }

        text.AppendLine(Format.Invariant($"\n**WebP encoder effort** (cwebp -q {Profile.Chain(RenditionFormat.Webp).Quality}, the profile's WebP quality, on the exact-size pixels of jpeg-12mp; encode CPU of the three widths; Skia's encoder is method 3)\n"));
        var table = new Table("method", "CPU ms", "PSNR at 800 px", "bytes at 800 px");
        for (int method = 0; method <= 6; method++)
        {
            string file = Path.Combine(effort.OutputFolder(runFolder), "0", $"m{method}-800.webp");
            table.Add($"-m {method}", Format.Ms(effort.Metric($"m{method}")),
                Format.Db(effort.Psnr.TryGetValue($"m{method}-800", out double db) ? db : null),
                File.Exists(file) ? new FileInfo(file).Length.ToString(CultureInfo.InvariantCulture) : "–");
        }

        text.Append(table);
    }
}
