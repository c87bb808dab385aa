using System.Diagnostics;
using Workflows.Bench.Inputs;
using Workflows.Bench.Levers;
using Workflows.Bench.Quality;
using Workflows.Bench.Reporting;
using Workflows.Bench.Variants;

namespace Workflows.Bench.Harness;

/// <summary>
/// Runs the benchmark: prepares inputs and references, starts one pinned worker per variant, keeps the warm-up
/// run's outputs for the quality gate, then measures every task once per round, rotating the order each round so
/// a burst of load from elsewhere hits all variants alike. Only one worker works at a time.
/// </summary>
internal sealed class Driver(BenchOptions options)
{
    private readonly References _references = new(options.CacheDirectory);

    public async Task<int> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        var run = new RunInfo(options, Machine.LoadAverage());
        List<BenchInput> inputs = PrepareInputs();
        List<VariantInfo> variants = SelectVariants(run);
        List<BenchTask> tasks = [.. from input in inputs from variant in variants from op in variant.Ops(input) select new BenchTask(variant, op, input)];
        string runFolder = Path.Combine(options.CacheDirectory, "out");
        if (Directory.Exists(runFolder))
        {
            Directory.Delete(runFolder, recursive: true);
        }

        Dictionary<string, WorkerProcess> workers = [];
        try
        {
            foreach (string name in tasks.Select(t => t.Variant.Name).Distinct())
            {
                workers[name] = await WorkerProcess.StartAsync(name, options.CacheDirectory, run.Core);
            }

            await MeasureAsync(tasks, workers, runFolder, run, clock);
            foreach ((string name, WorkerProcess worker) in workers)
            {
                (long peak, long childPeak) = await worker.QuitAsync();
                run.WorkerPeakMb[name] = Math.Max(peak, childPeak) / 1024.0;
            }
        }
        finally
        {
            foreach (WorkerProcess worker in workers.Values)
            {
                worker.Dispose();
            }
        }

        QualityGate.Score(tasks, runFolder, _references);
        run.LoadAtEnd = Machine.LoadAverage();
        run.Elapsed = clock.Elapsed;
        string report = Report.Render(run, inputs, tasks, runFolder);
        Console.WriteLine(report);
        if (options.ReportFile is { } file)
        {
            File.WriteAllText(file, report);
        }

        return tasks.Any(t => t.Status?.StartsWith("fail", StringComparison.Ordinal) == true) ? 1 : 0;
    }

    /// <summary>Warm-up (the first keeps every output), then the rounds, each in a rotated order per input class.</summary>
    private async Task MeasureAsync(List<BenchTask> tasks, Dictionary<string, WorkerProcess> workers, string runFolder, RunInfo run, Stopwatch clock)
    {
        for (int warmup = 0; warmup < options.Warmups; warmup++)
        {
            Console.Error.WriteLine($"warm-up {warmup + 1}/{options.Warmups}: {tasks.Count(t => t.Status is null)} tasks ({clock.Elapsed.TotalSeconds:0} s)");
            foreach (BenchTask task in tasks.Where(t => t.Status is null))
            {
                task.Record(await workers[task.Variant.Name].RunAsync(task.Op, warmup == 0 ? task.OutputFolder(runFolder) : null, task.Input.Files), keep: false);
            }
        }

        if (workers.TryGetValue(VariantCatalog.Floor, out WorkerProcess? floor) && tasks.FirstOrDefault(t => t.Variant.Name == VariantCatalog.Floor) is { } any)
        {
            run.FloorStartCost = Sample.ParseMetrics((await floor.RunAsync(FloorVariant.StartCostOp, null, any.Input.Files.Take(1)))[5]);
        }

        for (int round = 0; round < options.Rounds; round++)
        {
            Console.Error.WriteLine($"round {round + 1}/{options.Rounds} ({clock.Elapsed.TotalSeconds:0} s, load {Machine.LoadAverage()})");
            foreach (List<BenchTask> group in tasks.Where(t => t.Status is null).GroupBy(t => t.Input.Id).Select(g => g.ToList()))
            {
                for (int k = 0; k < group.Count; k++)
                {
                    BenchTask task = group[(k + round) % group.Count];
                    task.Record(await workers[task.Variant.Name].RunAsync(task.Op, null, task.Input.Files), keep: true);
                }
            }
        }
    }

    private List<BenchInput> PrepareInputs()
    {
        List<BenchInput> inputs = [];
        foreach (string id in options.InputIds)
        {
            InputSpec spec = InputCatalog.All.SingleOrDefault(s => s.Id == id) ?? throw new ArgumentException($"Unknown input '{id}'.");
            inputs.Add(InputCatalog.Prepare(spec, options.CacheDirectory, options.MaxFilesPerInput));
        }

        if (options.ExtraFolder is { } extra)
        {
            inputs.AddRange(InputCatalog.Extra(extra));
        }

        foreach (BenchInput input in inputs)
        {
            _references.Prepare(input);
        }

        return inputs;
    }

    private List<VariantInfo> SelectVariants(RunInfo run)
    {
        List<VariantInfo> variants = [.. VariantCatalog.Anchors];
        // A grid asked for is run whatever --levers/--no-levers say: it replaces the usual levers.
        if (options.WebpGrid is { } grid)
        {
            variants.AddRange(LeverCatalog.WebpGrid(grid));
        }
        else if (options.Levers)
        {
            variants.AddRange(LeverCatalog.Levers);
        }

        if (options.VariantNames is { } names)
        {
            variants = variants.Where(v => names.Contains(v.Name)).ToList();
        }

        if (!FloorTools.Available())
        {
            run.Notes.Add("floor skipped: djpeg, cjpeg or cwebp is not installed (apt-get install libjpeg-turbo-progs webp)");
            variants.RemoveAll(v => v.Name == VariantCatalog.Floor);
        }

        return variants;
    }
}
