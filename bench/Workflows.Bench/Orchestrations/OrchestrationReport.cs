using System.Globalization;
using Workflows.Bench.Reporting;
using Workflows.Hosting;

namespace Workflows.Bench.Orchestrations;

/// <summary>Collects the batches, histories and traffic of an orchestrations run and prints them as Markdown tables.</summary>
internal sealed class OrchestrationReport(int cores)
{
    /// <summary>The Azure Storage engine's large-message threshold: a payload above it goes to a blob.</summary>
    private const int LargeMessageBytes = 45 * 1024;

    private readonly List<(string Engine, string Workload, Batch Batch, (long Requests, long Sent, long Received, long Copies, long Reads)? Traffic)> _batches = [];

    public Dictionary<string, HistoryFacts> Histories { get; } = [];

    public Dictionary<string, HistoryFacts> Shapes { get; } = [];

    public List<string[]> ScaleRows { get; } = [];

    public CostBreakdown Costs { get; } = new();

    public string ScaleEngine { get; set; } = "";

    public int Failures => _batches.Sum(b => b.Batch.Failed);

    private readonly List<(string Engine, int Instances, IReadOnlyDictionary<StorageRequest, long> Counts)> _requests = [];

    public void Add(
        string engine, string workload, Batch batch, (long, long, long, long, long)? traffic, IReadOnlyDictionary<StorageRequest, long>? requests = null)
    {
        _batches.Add((engine, workload, batch, traffic));
        if (requests is not null)
        {
            _requests.Add((engine, batch.Ids.Count, requests));
        }
    }

    public void Print()
    {
        if (_batches.Count > 0)
        {
            PrintComparisons();
            Costs.Print();
        }

        if (ScaleRows.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine($"## Scale ({ScaleEngine} engine)");
            Console.WriteLine();
            Print(["run", "work", "wall s", "executions", "history events", "peak RSS MB (whole process)"], ScaleRows);
        }
    }

    private void PrintComparisons()
    {
        Console.WriteLine();
        Console.WriteLine("## Throughput (median batch; instances of a batch started at once)");
        Console.WriteLine();
        List<string[]> rows = [];
        foreach (var group in _batches.GroupBy(b => (b.Engine, b.Workload)))
        {
            var instances = group.First().Batch.Ids.Count;
            var wall = Median(group.Select(b => b.Batch.Wall.TotalSeconds));
            var cpu = Median(group.Select(b => b.Batch.Cpu.TotalSeconds));
            var activities = ActivitiesOf(group.Key.Workload);
            rows.Add(
            [
                group.Key.Engine, group.Key.Workload, instances.ToString(CultureInfo.InvariantCulture),
                activities.ToString(CultureInfo.InvariantCulture), F(wall, "0.00"), F(instances / wall, "0.0"),
                F(instances * activities / wall, "0"), F(cpu * 1000 / instances, "0"), Ratio(group.Key.Engine, group.Key.Workload, wall),
                group.Sum(b => b.Batch.Failed).ToString(CultureInfo.InvariantCulture),
            ]);
        }

        Print(["engine", "workflow", "per batch", "activities each", "batch s", "orchestrations/s", "activities/s",
               "bench CPU ms each", "ratio", "failed"], rows);
        Console.WriteLine();
        Console.WriteLine("ratio: the app's workflow against its bare twin of the same shape (target ≤ 1.15x), and the order saga");
        Console.WriteLine($"against a bare saga of its business steps only (target ≤ 1.3x). bench CPU: this process (engine + worker), {cores} cores.");

        Console.WriteLine();
        Console.WriteLine("## One instance's history (Azure Storage engine)");
        Console.WriteLine();
        Print(["workflow", "activities", "stages", "history events", "payload bytes", "largest payload", "below 45 KB"],
            Histories.Select(h => new[]
            {
                h.Key, string.Join(", ", h.Value.Stages.SelectMany(s => s).GroupBy(n => n).Select(g => g.Count() == 1 ? g.Key : $"{g.Key} ×{g.Count()}")),
                h.Value.Shape().ToString(), h.Value.Events.ToString(CultureInfo.InvariantCulture),
                h.Value.PayloadBytes.ToString(CultureInfo.InvariantCulture), h.Value.LargestPayload.ToString(CultureInfo.InvariantCulture),
                h.Value.LargestPayload < LargeMessageBytes / 10 ? "yes, < 4.5 KB" : h.Value.LargestPayload < LargeMessageBytes ? "yes" : "NO",
            }).ToList());

        var assets = _batches.Where(b => b.Traffic is not null).ToList();
        if (assets.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("## Blob traffic per asset (the app's blob client; the upload itself not counted)");
            Console.WriteLine();
            Print(["engine", "requests", "blob reads", "bytes read", "bytes written", "server-side copies"],
                assets.GroupBy(b => b.Engine).Select(g =>
                {
                    var n = (double)g.Sum(b => b.Batch.Ids.Count);
                    return new[]
                    {
                        g.Key, F(g.Sum(b => b.Traffic!.Value.Requests) / n, "0.0"), F(g.Sum(b => b.Traffic!.Value.Reads) / n, "0.0"),
                        F(g.Sum(b => b.Traffic!.Value.Received) / n, "0"), F(g.Sum(b => b.Traffic!.Value.Sent) / n, "0"),
                        F(g.Sum(b => b.Traffic!.Value.Copies) / n, "0.0"),
                    };
                }).ToList());
            Console.WriteLine($"The original: a 640 × 480 JPEG of {Workloads.SmallPhoto().Length} bytes.");
        }

        PrintRequestsPerOrder();
    }

    /// <summary>The app's own storage requests per order, by activity, service and operation (every attempt counted).</summary>
    private void PrintRequestsPerOrder()
    {
        if (_requests.Count == 0)
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine("## Storage requests per order (the app's blob, queue and table clients; every attempt)");
        Console.WriteLine();
        List<string[]> rows = [];
        foreach (var engine in _requests.GroupBy(r => r.Engine))
        {
            var orders = (double)engine.Sum(r => r.Instances);
            var counts = engine.SelectMany(r => r.Counts).GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Value));
            foreach (var activity in counts.GroupBy(c => c.Key.Activity).OrderByDescending(g => g.Sum(c => c.Value)))
            {
                rows.Add(
                [
                    engine.Key, activity.Key, F(activity.Sum(c => c.Value) / orders, "0.00"),
                    string.Join(", ", activity.OrderBy(c => c.Key.Service, StringComparer.Ordinal).ThenByDescending(c => c.Value)
                        .Select(c => $"{c.Key.Service} {c.Key.Operation} {F(c.Value / orders, "0.##")}")),
                ]);
            }

            rows.Add([engine.Key, "**per order**", F(counts.Values.Sum() / orders, "0.00"),
                string.Join(", ", counts.GroupBy(c => c.Key.Service).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => $"{g.Key} {F(g.Sum(c => c.Value) / orders, "0.##")}"))]);
        }

        Print(["engine", "activity", "requests per order", "by service and operation (per order)"], rows);
    }

    private int ActivitiesOf(string workload) => workload switch
    {
        _ when Shapes.TryGetValue(workload, out var facts) => facts.Activities,
        "bare order (same shape)" => Shapes["order saga"].Activities,
        "bare saga (business steps)" => Shapes["order saga"].Shape(n => n != "RecordOrderProgress").Activities,
        "bare asset (same shape)" => Shapes["asset pipeline"].Activities,
        _ => 0,
    };

    private string Ratio(string engine, string workload, double wall)
    {
        double Of(string name) => Median(_batches.Where(b => b.Engine == engine && b.Workload == name).Select(b => b.Batch.Wall.TotalSeconds));
        return workload switch
        {
            "order saga" => $"{F(wall / Of("bare order (same shape)"), "0.00")}x shape, {F(wall / Of("bare saga (business steps)"), "0.00")}x saga",
            "asset pipeline" => $"{F(wall / Of("bare asset (same shape)"), "0.00")}x shape",
            _ => "",
        };
    }

    private static void Print(string[] header, List<string[]> rows)
    {
        var table = new Table(header);
        rows.ForEach(row => table.Add(row));
        Console.Write(table);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
