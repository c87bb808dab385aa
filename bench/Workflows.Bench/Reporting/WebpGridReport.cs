using System.Globalization;
using System.Text;
using Workflows.Assets.Imaging;
using Workflows.Bench.Harness;
using Workflows.Bench.Inputs;
using Workflows.Bench.Levers;
using Workflows.Bench.Variants;

namespace Workflows.Bench.Reporting;

/// <summary>
/// The <c>--webp-grid</c> levers: per input, the JPEG chain and the WebP chain at each libwebp method and quality,
/// with issue 11's target (WebP chain ≤ 1.5× the JPEG chain's CPU at equal PSNR: 800 px within 0.5 dB of JPEG's).
/// </summary>
internal static class WebpGridReport
{
    private const string Lever = LeverCatalog.Name;

    public static void Render(StringBuilder text, Findings findings, IReadOnlyList<BenchInput> inputs, string runFolder)
    {
        var table = new Table("input", "path", "CPU ms", "÷ JPEG chain", "encode ms", "PSNR at 800 px", "vs JPEG", "bytes 1600 / 800 / 200", "≤ 1.5× at equal PSNR");
        foreach (BenchInput input in inputs)
        {
            List<BenchTask> grid = [.. findings.Tasks.Where(t => t.Input.Id == input.Id && t.Variant.Name == Lever && t.Measured && LeverCatalog.IsGridOp(t.Op))];
            if (grid.Count == 0 || findings.Find(Lever, "stages-jpeg", input.Id) is not { Measured: true } jpeg)
            {
                continue; // a plain --levers run measures stages-jpeg too, and no grid
            }

            double? jpegDb = Findings.Psnr(jpeg, "jpeg");
            table.Add(input.Id, "JPEG chain (stages-jpeg)", Findings.Cell(jpeg), Format.Ratio(1), Format.Ms(Encode(jpeg, "jpeg")), Format.Db(jpegDb), "",
                Bytes(jpeg, RenditionFormat.Jpeg, runFolder), "");
            foreach (BenchTask webp in grid)
            {
                double ratio = webp.MedianCpu / jpeg.MedianCpu;
                double? db = Findings.Psnr(webp, "webp");
                table.Add(input.Id, webp.Op, Findings.Cell(webp), Format.Ratio(ratio), Format.Ms(Encode(webp, "webp")), Format.Db(db),
                    Targets.PsnrDelta(db, jpegDb) ?? "–", Bytes(webp, RenditionFormat.Webp, runFolder),
                    Format.Pass(Targets.WebpAtEqualPsnr(ratio, db, jpegDb)));
            }
        }

        if (table.Count > 0)
        {
            text.AppendLine("\n**WebP method and quality against the JPEG chain** (`--webp-grid`; CPU ms per image, median (best); encode ms: the chain's encodes alone; PSNR of the 800 px rendition; bytes of the warm-up's renditions, mean over the class's files)\n");
            text.Append(table);
        }
    }

    /// <summary>The chain's encode stages (<c>{format}-{size}</c>, see <see cref="StagedCascade"/>), summed.</summary>
    private static double Encode(BenchTask task, string format) =>
        task.Samples[0].Metrics.Keys.Where(k => k.StartsWith(format + "-", StringComparison.Ordinal)).Sum(task.Metric);

    private static string Bytes(BenchTask task, RenditionFormat format, string runFolder) =>
        string.Join(" / ", Profile.Chain(format).Sizes.Select(size =>
        {
            string name = $"{Profile.Name(format, size)}.{Profile.Extension(format)}";
            long[] lengths = Enumerable.Range(0, task.Input.Files.Count)
                .Select(i => Path.Combine(task.OutputFolder(runFolder), i.ToString(CultureInfo.InvariantCulture), name))
                .Where(File.Exists).Select(f => new FileInfo(f).Length).ToArray();
            return lengths.Length == 0 ? "–" : lengths.Average().ToString("0", CultureInfo.InvariantCulture);
        }));
}
