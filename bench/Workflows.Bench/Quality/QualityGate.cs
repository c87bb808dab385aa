using Workflows.Bench.Harness;

namespace Workflows.Bench.Quality;

/// <summary>
/// The quality gate: PSNR of every 800 px output kept from the warm-up run against the input's Lanczos3 reference.
/// A variant faster than another but more than <see cref="MaxLossDb"/> below it does not count as faster.
/// </summary>
internal static class QualityGate
{
    public const double MaxLossDb = 0.5;

    public static void Score(IEnumerable<BenchTask> tasks, string runFolder, References references)
    {
        foreach (BenchTask task in tasks.Where(t => t.Status is null))
        {
            Dictionary<string, List<double>> scores = [];
            for (int i = 0; i < task.Input.Files.Count; i++)
            {
                string folder = Path.Combine(task.OutputFolder(runFolder), i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (!Directory.Exists(folder))
                {
                    continue;
                }

                foreach (string output in Directory.EnumerateFiles(folder, $"*-{References.GateWidth}.*"))
                {
                    if (Psnr.Between(output, references.GatePath(task.Input.Files[i])) is { } db)
                    {
                        string name = Path.GetFileNameWithoutExtension(output);
                        scores.TryAdd(name, []);
                        scores[name].Add(db);
                    }
                }
            }

            foreach ((string name, List<double> values) in scores)
            {
                task.Psnr[name] = values.Average();
            }
        }
    }

    /// <summary>True when <paramref name="faster"/>'s lead over <paramref name="slower"/> is bought with more than the allowed loss.</summary>
    public static bool LeadDoesNotCount(double? fasterDb, double? slowerDb) =>
        fasterDb is { } f && slowerDb is { } s && f < s - MaxLossDb;
}
