using System.Globalization;
using Workflows.Bench.Harness;
using Workflows.Bench.Reporting;
using Workflows.Hosting;

namespace Workflows.Bench.Orchestrations;

/// <summary>
/// Where a workflow's time goes, per instance and batch (README, Performance, Orchestrations): this process's CPU (engine,
/// sidecar, worker and the app's activities), Azurite's CPU (serving the engine's and the app's requests), the engine's
/// and the app's storage requests, and how long the activity bodies hold their orchestration, by activity.
/// </summary>
internal sealed class CostBreakdown
{
    private readonly List<Entry> _entries = [];

    public void Add(
        string engine, string workload, Batch batch, long appRequests, IReadOnlyDictionary<StorageRequest, long> engineRequests,
        IReadOnlyDictionary<string, IReadOnlyList<TimeSpan>> timings) =>
        _entries.Add(new Entry(engine, workload, batch, appRequests, engineRequests, timings));

    public void Print()
    {
        if (_entries.Count == 0)
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine("## Cost per instance (medians of the rounds; CPU from getrusage and /proc/<azurite>/stat)");
        Console.WriteLine();
        var own = _entries.Any(e => e.Batch.AppAzuriteCpu > TimeSpan.Zero);
        var table = new Table("engine", "workflow", "batch s", "bench CPU ms", own ? "task hub's Azurite CPU ms" : "Azurite CPU ms", "Azurite busy",
            own ? "app data's Azurite CPU ms" : "(app data: same Azurite)", "engine requests",
            "app requests", "activity bodies ms (sum)", "activity turns");
        foreach (var g in _entries.GroupBy(e => (e.Engine, e.Workload)))
        {
            table.Add(
                g.Key.Engine, g.Key.Workload, F(Median(g, e => e.Batch.Wall.TotalSeconds), "0.00"),
                F(Median(g, e => e.Batch.Cpu.TotalMilliseconds / e.Instances), "0.0"),
                F(Median(g, e => e.Batch.AzuriteCpu.TotalMilliseconds / e.Instances), "0.0"),
                F(Median(g, e => e.Batch.AzuriteCpu / e.Batch.Wall) * 100, "0") + "%",
                own ? F(Median(g, e => e.Batch.AppAzuriteCpu.TotalMilliseconds / e.Instances), "0.0") : "",
                F(Median(g, e => e.EngineRequests.Values.Sum() / (double)e.Instances), "0.0"),
                F(Median(g, e => e.AppRequests / (double)e.Instances), "0.0"),
                F(Median(g, e => e.Timings.Values.SelectMany(t => t).Sum(t => t.TotalMilliseconds) / e.Instances), "0.0"),
                F(Median(g, e => e.Timings.Values.Sum(t => t.Count) / (double)e.Instances), "0.0"));
        }

        Console.Write(table);
        Console.WriteLine("Azurite busy: its CPU over the batch's wall time (one node thread serves every request). Activity bodies:");
        Console.WriteLine("wall time from the harness handing an activity its input to its result, summed per instance.");

        Console.WriteLine();
        Console.WriteLine("## Activity bodies (wall ms, every call of every round)");
        Console.WriteLine();
        var bodies = new Table("engine", "workflow", "activity", "calls per instance", "median", "p90", "per instance (sum)");
        foreach (var g in _entries.GroupBy(e => (e.Engine, e.Workload)))
        {
            var instances = g.Sum(e => e.Instances);
            foreach (var activity in g.SelectMany(e => e.Timings).GroupBy(t => t.Key).OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                var times = activity.SelectMany(a => a.Value).ToList();
                var (median, p90) = ActivityTimings.MedianAndP90(times);
                bodies.Add(
                    g.Key.Engine, g.Key.Workload, activity.Key, F(times.Count / (double)instances, "0.0"),
                    F(median, "0.0"), F(p90, "0.0"), F(times.Sum(t => t.TotalMilliseconds) / instances, "0.0"));
            }
        }

        Console.Write(bodies);

        Console.WriteLine();
        Console.WriteLine("## The engine's storage requests per instance (its own clients: queues, History, Instances, leases)");
        Console.WriteLine();
        var engine = new Table("engine", "workflow", "requests", "by service and operation");
        foreach (var g in _entries.Where(e => e.EngineRequests.Count > 0).GroupBy(e => (e.Engine, e.Workload)))
        {
            var instances = (double)g.Sum(e => e.Instances);
            var counts = g.SelectMany(e => e.EngineRequests).GroupBy(c => (c.Key.Service, c.Key.Operation))
                .Select(c => (c.Key, PerInstance: c.Sum(x => x.Value) / instances)).OrderByDescending(c => c.PerInstance).ToList();
            engine.Add(g.Key.Engine, g.Key.Workload, F(counts.Sum(c => c.PerInstance), "0.0"),
                string.Join(", ", counts.Where(c => c.PerInstance >= 0.05).Select(c => $"{c.Key.Service} {c.Key.Operation} {F(c.PerInstance, "0.#")}")));
        }

        Console.Write(engine);
    }

    private static double Median(IEnumerable<Entry> entries, Func<Entry, double> value) => Stats.Median(entries.Select(value));

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private sealed record Entry(
        string Engine, string Workload, Batch Batch, long AppRequests, IReadOnlyDictionary<StorageRequest, long> EngineRequests,
        IReadOnlyDictionary<string, IReadOnlyList<TimeSpan>> Timings)
    {
        public int Instances => Batch.Ids.Count;
    }
}
