using System.Diagnostics;
using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workflows.Assets;
using Workflows.Assets.Storage;
using Workflows.Assets.Uploads;
using Workflows.Bench.Harness;
using Workflows.Hosting;

namespace Workflows.Bench.Orchestrations;

/// <summary>
/// The scale runs on one engine (in-memory by default; on the Azure Storage engine they also count the last
/// execution's history): the app's bulk reprocess over <c>assets</c> tiny Ready assets, and a fan-out of
/// <c>activities</c> no-op activities done naively (one history) and in pages the way the bulk reprocess does.
/// </summary>
internal static class ScaleRuns
{
    public static async Task RunAsync(int assets, int activities, string engineName, string connectionString, OrchestrationReport report)
    {
        var tag = $"s{Random.Shared.Next(100_000, 999_999)}";
        await using var engine = await BenchEngine.StartAsync(engineName, BenchEngine.IsolatedSettings(connectionString, "benchscale"), _ => { });
        report.ScaleEngine = engine.Name;

        var options = engine.Services.GetRequiredService<IOptions<AssetOptions>>().Value;
        if (assets > 0)
        {
            await SeedReadyAssetsAsync(engine, assets);
            var retry = engine.Services.GetRequiredService<AssetStarter>().Retry;
            var bulk = new BulkReprocessRequest("bench", options.ReprocessPageSize, retry, null, BulkReprocessProgress.None);
            report.ScaleRows.Add(await MeasureAsync(engine, $"bulk reprocess, pages of {options.ReprocessPageSize}", $"{assets} assets",
                nameof(BulkReprocessOrchestrator), bulk, $"bulk-{tag}", output => output.ReadOutputAs<BulkReprocessProgress>() is { } p
                    ? $"{p.Pages} executions, {p.Succeeded} re-rendered, {p.Failed} failed"
                    : "?"));
        }

        var n = activities;
        report.ScaleRows.Add(await MeasureAsync(engine, "fan-out, naive", $"{n} activities",
            nameof(BareOrchestrations.NaiveFanOut), n, $"naive-{tag}", _ => "1 execution"));
        report.ScaleRows.Add(await MeasureAsync(engine, $"fan-out, pages of {options.ReprocessPageSize} (the bulk reprocess's pattern)", $"{n} activities",
            nameof(BareOrchestrations.PagedFanOutOrchestrator), new PagedFanOut(n, options.ReprocessPageSize), $"paged-{tag}",
            _ => $"{(n + options.ReprocessPageSize - 1) / options.ReprocessPageSize} executions"));
    }

    private static async Task<string[]> MeasureAsync(
        BenchEngine engine, string run, string work, string orchestrator, object input, string instanceId, Func<OrchestrationMetadata, string> executions)
    {
        GC.Collect();
        ProcessStats.ResetPeak();
        var clock = Stopwatch.StartNew();
        await engine.Client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, new StartOrchestrationOptions(instanceId));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(60));
        var done = await engine.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
        var wall = clock.Elapsed.TotalSeconds;
        var history = await engine.HistoryAsync(instanceId);
        Console.Error.WriteLine($"scale: {run}: {done.RuntimeStatus} in {wall:0.0} s");
        return
        [
            run, work, wall.ToString("0.0", CultureInfo.InvariantCulture), $"{executions(done)} ({done.RuntimeStatus})",
            history is null ? "not readable on this engine" : $"{history.Events} (the last execution)",
            (ProcessStats.PeakKib() / 1024.0).ToString("0", CultureInfo.InvariantCulture),
        ];
    }

    /// <summary>Ready assets with a tiny original each, as the pipeline leaves them (written straight to storage).</summary>
    private static async Task SeedReadyAssetsAsync(BenchEngine engine, int n)
    {
        var store = engine.Services.GetRequiredService<AssetStore>();
        await store.EnsureCreatedAsync(CancellationToken.None);
        var original = Workloads.SmallPhoto(64, 48);
        await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var name = $"bench-{i}.jpg";
            var assetId = AssetIds.FromUpload(store.Uploads.Name, name, "0x1");
            await store.Original(assetId).UploadAsync(new BinaryData(original), overwrite: true, ct);
            var entity = AssetEntity.ForUpload(assetId, name, store.Uploads.Name, name);
            entity.Status = nameof(AssetStatus.Ready);
            entity.ContentType = "image/jpeg";
            entity.SizeBytes = original.Length;
            entity.Width = 64;
            entity.Height = 48;
            await store.SaveAsync(entity, ct);
        });
    }
}
