using System.Diagnostics;
using System.Globalization;
using Azure.Core;
using Azure.Storage.Blobs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Bench.Harness;
using Workflows.Hosting;

namespace Workflows.Bench.Orchestrations;

/// <summary>
/// The orchestrations mode (README, Performance, Orchestrations): the order saga and the asset pipeline against bare
/// twins of the same shape, in batches started at once, on the Azure Storage engine over Azurite and on the in-memory
/// engine, rounds interleaved; the histories and blob traffic of one instance of each; optionally the scale runs.
/// Prints Markdown tables; asserts nothing.
/// </summary>
internal static class OrchestrationBench
{
    /// <summary>The cores the machine really has (the in-memory engine's run is started with more, see <see cref="RunAsync"/>).</summary>
    private const string CoresVariable = "WORKFLOWS_BENCH_CORES";

    /// <summary>The Azurite serving this run (its node process, found by its table port); no processes for an account of WORKFLOWS_TEST_STORAGE.</summary>
    private static NodeCpu? AzuriteProcess { get; set; }

    /// <summary>The Azurite holding the app's own data when it has one of its own (<c>--app-storage own</c>), else null.</summary>
    private static NodeCpu? AppAzuriteProcess { get; set; }

    public static async Task<int> RunAsync(string[] args)
    {
        // The in-memory engine sizes its dispatchers by processor count (2 here makes a wide fan-out take minutes), as
        // the tests' runsettings say: run again with a large count, remembering the real one.
        if (Environment.GetEnvironmentVariable(CoresVariable) is null)
        {
            return await RerunWithManyProcessorsAsync(args);
        }

        var cores = int.Parse(Environment.GetEnvironmentVariable(CoresVariable)!, CultureInfo.InvariantCulture);
        var options = OrchestrationOptions.Parse(args);
        Console.WriteLine($"# Orchestrations bench ({options.Mode}): {options.Orders} orders and {options.Assets} assets per batch, " +
                          $"{options.Rounds} round(s); {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {cores} cores, {Environment.OSVersion}");
        var storage = await Azurite.GetAsync();
        await using var ownAzurite = options.OwnAppStorage ? await Azurite.StartFreshAsync() : null;
        var appStorage = ownAzurite?.ConnectionString ?? storage.ConnectionString;
        var uploader = new BlobServiceClient(appStorage);
        var report = new OrchestrationReport(cores);
        AzuriteProcess = FindAzurite(storage.ConnectionString, "task hub" + (ownAzurite is null ? " and app data" : ""));
        AppAzuriteProcess = ownAzurite is null ? null : FindAzurite(appStorage, "app data");
        var timings = ActivityScope.Timings = new ActivityTimings();
        foreach (var engineName in options.Engines)
        {
            var traffic = new BlobTraffic();
            var requests = new StorageRequests();
            var engineRequests = new StorageRequests();
            var settings = SampleSettings.Create(storage.ConnectionString, $"bench{engineName}{Random.Shared.Next(100_000, 999_999)}");
            settings["WorkflowsStorage"] = appStorage;
            await using var engine = await BenchEngine.StartAsync(engineName, settings, services =>
            {
                var blobOptions = new BlobClientOptions();
                blobOptions.AddPolicy(traffic, HttpPipelinePosition.PerRetry);
                blobOptions.AddPolicy(requests, HttpPipelinePosition.PerRetry);
                services.AddSingleton(new BlobServiceClient(appStorage, blobOptions));
                // The app's table and queue clients (built through the Azure client factory) count theirs too.
                services.AddAzureClients(clients => clients.ConfigureDefaults(o => o.AddPolicy(requests, HttpPipelinePosition.PerRetry)));
            }, engineRequests);
            await RunEngineAsync(engine, options, uploader, new Counters(traffic, requests, engineRequests, timings), report);
        }

        if (options.Scale > 0)
        {
            await ScaleRuns.RunAsync(options.ScaleAssets ?? options.Scale, options.Scale, options.ScaleEngine, storage.ConnectionString, report);
        }

        report.Print();
        return report.Failures == 0 ? 0 : 1;
    }

    private static async Task RunEngineAsync(
        BenchEngine engine, OrchestrationOptions options, BlobServiceClient uploader, Counters traffic, OrchestrationReport report)
    {
        var orders = await Workloads.OrdersAsync(engine);
        var assets = await Workloads.AssetsAsync(engine, uploader);

        // One of each first: warms up, and (Azure Storage) gives the histories, whose stages the bare twins copy.
        var order = await RunBatchAsync(engine, orders, 1, "probe");
        var asset = await RunBatchAsync(engine, assets, 1, "probe");
        if (await engine.HistoryAsync(order.Ids[0]) is { } orderHistory && await engine.HistoryAsync(asset.Ids[0]) is { } assetHistory)
        {
            report.Histories[orders.Name] = orderHistory;
            report.Histories[assets.Name] = assetHistory;
        }

        if (!report.Histories.TryGetValue(orders.Name, out var orderFacts) || !report.Histories.TryGetValue(assets.Name, out var assetFacts))
        {
            throw new InvalidOperationException("The bare twins copy the Azure Storage engine's histories: list 'azure' first in --engines.");
        }

        List<(Workload Workload, int Count)> batches =
        [
            (orders, options.Orders),
            (Workloads.Bare(engine, "bare order (same shape)", orderFacts.Shape()), options.Orders),
            (Workloads.Bare(engine, "bare saga (business steps)", orderFacts.Shape(name => name != "RecordOrderProgress")), options.Orders),
            (assets, options.Assets),
            (Workloads.Bare(engine, "bare asset (same shape)", assetFacts.Shape()), options.Assets),
        ];
        foreach (var (workload, _) in options.WarmUps > 0 ? batches : [])
        {
            await RunBatchAsync(engine, workload, options.WarmUps, "warm");
        }

        for (var round = 0; round < options.Rounds; round++)
        {
            // Rotate the order every round, so load from elsewhere hits every workload alike.
            foreach (var (workload, count) in batches.Skip(round % batches.Count).Concat(batches.Take(round % batches.Count)))
            {
                traffic.Reset();
                var batch = await RunBatchAsync(engine, workload, count, $"r{round}");
                var appRequests = traffic.Requests.TakeSnapshot();
                report.Add(
                    engine.Name, workload.Name, batch, workload.Name == assets.Name ? traffic.Blobs.TakeSnapshot() : null,
                    workload.Name == orders.Name ? appRequests : null);
                report.Costs.Add(engine.Name, workload.Name, batch, appRequests.Values.Sum(), traffic.Engine.TakeSnapshot(), traffic.Timings.TakeSnapshot());
            }
        }

        report.Shapes[orders.Name] = orderFacts;
        report.Shapes[assets.Name] = assetFacts;
    }

    private static async Task<Batch> RunBatchAsync(BenchEngine engine, Workload workload, int count, string tag)
    {
        var prefix = $"{tag}-{Guid.NewGuid():N}"[..16];
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var azurite = AzuriteProcess?.Total() ?? TimeSpan.Zero;
        var appAzurite = AppAzuriteProcess?.Total() ?? TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        var ids = await Task.WhenAll(Enumerable.Range(0, count).Select(i => workload.StartAsync($"{prefix}-{i:D4}")));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        var finished = await Task.WhenAll(ids.Select(id => engine.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token)));
        var wall = clock.Elapsed;
        var failed = finished.Count(i => !workload.Succeeded(i));
        foreach (var instance in finished.Where(i => !workload.Succeeded(i)).Take(3))
        {
            Console.Error.WriteLine($"{workload.Name}: {instance.InstanceId} {instance.RuntimeStatus} {instance.FailureDetails?.ErrorMessage ?? instance.SerializedOutput}");
        }

        return new Batch(ids, wall, Process.GetCurrentProcess().TotalProcessorTime - cpu, failed, (AzuriteProcess?.Total() ?? TimeSpan.Zero) - azurite,
            (AppAzuriteProcess?.Total() ?? TimeSpan.Zero) - appAzurite);
    }

    private static NodeCpu FindAzurite(string connectionString, string serves)
    {
        if (Azurite.TablePort(connectionString) is not { } port)
        {
            Console.WriteLine($"The storage for the {serves} names no table endpoint (not a local Azurite): its CPU is not counted");
            return new NodeCpu([]);
        }

        var processes = NodeCpu.Find("--tablePort", port.ToString(CultureInfo.InvariantCulture));
        Console.WriteLine($"Azurite for the {serves} (CPU counted): {string.Join(", ", processes.Pids.Select(p => $"{p} {NodeCpu.Name(p)}"))}");
        return processes;
    }

    private static async Task<int> RerunWithManyProcessorsAsync(string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(Environment.GetCommandLineArgs()[0]);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[CoresVariable] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture);
        start.Environment["DOTNET_PROCESSOR_COUNT"] = "256";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var child = Process.Start(start)!;
        await child.WaitForExitAsync();
        return child.ExitCode;
    }
}

/// <summary>
/// One batch: its instances, wall time from the first start to the last completion, this process's CPU, failures, and
/// the CPU of the Azurite serving the task hub (and the app's data, unless that has one of its own: <see cref="AppAzuriteCpu"/>).
/// </summary>
internal sealed record Batch(IReadOnlyList<string> Ids, TimeSpan Wall, TimeSpan Cpu, int Failed, TimeSpan AzuriteCpu = default, TimeSpan AppAzuriteCpu = default);

/// <summary>What a run counts per batch: the app's blob traffic and storage requests, the engine's requests, activity body times.</summary>
internal sealed record Counters(BlobTraffic Blobs, StorageRequests Requests, StorageRequests Engine, ActivityTimings Timings)
{
    public void Reset()
    {
        Blobs.Reset();
        Requests.Reset();
        Engine.Reset();
        Timings.Reset();
    }
}
