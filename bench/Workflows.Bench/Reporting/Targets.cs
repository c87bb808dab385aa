using System.Text;
using Workflows.Bench.Inputs;
using Workflows.Bench.Quality;
using Workflows.Bench.Variants;

namespace Workflows.Bench.Reporting;

/// <summary>Issue 11's targets, each checked against this run's medians.</summary>
internal static class Targets
{
    private const string App = VariantCatalog.App;
    private const string Floor = VariantCatalog.Floor;

    public static void Render(StringBuilder text, Findings findings, IReadOnlyList<BenchInput> inputs)
    {
        var table = new Table("target", "input", "measured", "met");
        foreach (BenchInput input in inputs)
        {
            string id = input.Id;
            double jpeg = findings.Median(App, "jpeg", id);
            double webp = findings.Median(App, "webp", id);
            double floor = findings.Median(Floor, "jpeg", id);
            AtEqualPsnr(table, id, webp / jpeg, Findings.Psnr(findings.Find(App, "webp", id), "webp"), Findings.Psnr(findings.Find(App, "jpeg", id), "jpeg"));
            Check(table, "asset ≤ 2.5× JPEG floor", id, findings.Median(App, "asset", id) / floor, 2.5);
            Check(table, "JPEG chain ≤ 1.3× floor", id, jpeg / floor, 1.3);
            foreach (string op in Findings.ChainOps)
            {
                AheadOfAnchors(table, findings, id, op);
            }

            if (input.Megapixels is > 11 and < 13 && findings.Find(App, "asset", id) is { Measured: true } asset)
            {
                table.Add("≤ 100 MB peak per in-flight 12 MP asset", id, $"{Format.Mb(asset.PeakMb)} MB", Format.Pass(asset.PeakMb <= 100));
            }
        }

        if (table.Count > 0)
        {
            text.AppendLine("\n**Targets** (issue 11; medians of this run)\n");
            text.Append(table);
        }
    }

    private static void Check(Table table, string target, string inputId, double ratio, double limit)
    {
        if (!double.IsNaN(ratio))
        {
            table.Add(target, inputId, Format.Ratio(ratio), Format.Pass(ratio <= limit));
        }
    }

    /// <summary>Issue 11: the WebP chain ≤ 1.5× the JPEG chain's CPU with its 800 px rendition within the gate's 0.5 dB of JPEG's.</summary>
    private static void AtEqualPsnr(Table table, string inputId, double ratio, double? webpDb, double? jpegDb)
    {
        if (double.IsNaN(ratio))
        {
            return;
        }

        string psnr = PsnrDelta(webpDb, jpegDb) is { } delta ? $" ({delta})" : "";
        table.Add("WebP chain ≤ 1.5× JPEG chain at equal PSNR", inputId, Format.Ratio(ratio) + psnr, Format.Pass(WebpAtEqualPsnr(ratio, webpDb, jpegDb)));
    }

    /// <summary>
    /// Whether a WebP chain meets issue 11's target (<see cref="AtEqualPsnr"/>, and <see cref="WebpGridReport"/> per
    /// method and quality): <paramref name="ratio"/> (its CPU over the JPEG chain's) at most 1.5, its PSNR at 800 px at
    /// most the gate's 0.5 dB below JPEG's.
    /// </summary>
    public static bool WebpAtEqualPsnr(double ratio, double? webpDb, double? jpegDb) =>
        ratio <= 1.5 && webpDb - jpegDb is { } delta && delta >= -QualityGate.MaxLossDb;

    /// <summary>WebP's PSNR less JPEG's, signed (e.g. <c>−0.42 dB</c>); null when either is missing.</summary>
    public static string? PsnrDelta(double? webpDb, double? jpegDb) =>
        webpDb - jpegDb is { } delta ? Format.Invariant($"{delta:+0.00;−0.00} dB") : null;

    /// <summary>Ahead means a lower median CPU without losing more than 0.5 dB to that anchor (or an anchor faster only by losing more).</summary>
    private static void AheadOfAnchors(Table table, Findings findings, string inputId, string op)
    {
        if (findings.Find(App, op, inputId) is not { Measured: true } app)
        {
            return;
        }

        List<string> behind = [];
        int compared = 0;
        foreach (string anchor in Findings.AnchorNames)
        {
            if (findings.Find(anchor, op, inputId) is not { Measured: true } other)
            {
                continue;
            }

            compared++;
            double ratio = app.MedianCpu / other.MedianCpu;
            // The faster side's lead counts only if it is within 0.5 dB of the slower one.
            double? appDb = Findings.Psnr(app, op), otherDb = Findings.Psnr(other, op);
            bool appLeadVoid = ratio < 1 && QualityGate.LeadDoesNotCount(appDb, otherDb);
            bool anchorLeadVoid = ratio >= 1 && QualityGate.LeadDoesNotCount(otherDb, appDb);
            if ((ratio >= 1 && !anchorLeadVoid) || appLeadVoid)
            {
                behind.Add($"{anchor} {Format.Ratio(ratio)}{(appLeadVoid ? " †" : "")}");
            }
        }

        if (compared > 0)
        {
            table.Add($"{op} chain ahead of every anchor", inputId, behind.Count == 0 ? "ahead of all" : "not ahead of " + string.Join(", ", behind),
                Format.Pass(behind.Count == 0));
        }
    }
}
