using System.Collections.Concurrent;
using System.Globalization;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workflows.Assets;
using Workflows.Assets.Storage;
using Workflows.Assets.Uploads;
using Workflows.Bench.Harness;
using Workflows.Bench.Orchestrations;
using Workflows.Bench.Reporting;
using Workflows.Hosting;

namespace Workflows.Bench.Uploads;

/// <summary>
/// The missed-uploads mode (README, Reliability): bursts of uploads written straight into the uploads container while
/// the polling blob trigger (the WebJobs blob extension the Functions host loads) watches it and the app's
/// <c>SweepUploads</c> runs on its own schedule with its own minimum age. Counts the uploads the trigger never fired
/// for, and how long each upload took to become an asset (its instance created). Asserts nothing but that every upload
/// became one.
/// </summary>
internal static class MissedUploadsBench
{
    /// <summary>Quiet time after a burst before its misses are counted (the trigger lists the container every ~2 s).</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(15);

    public static async Task<int> RunAsync(string[] args)
    {
        (int Count, TimeSpan Spread)[] bursts = args.Contains("--quick")
            ? [(20, TimeSpan.Zero), (50, TimeSpan.FromSeconds(10))]
            : [(20, TimeSpan.Zero), (50, TimeSpan.Zero), (200, TimeSpan.Zero), (50, TimeSpan.FromSeconds(10)), (200, TimeSpan.FromSeconds(20))];
        var storage = await Azurite.GetAsync();
        await using var engine = await BenchEngine.StartAsync("memory", BenchEngine.IsolatedSettings(storage.ConnectionString, "benchup"), _ => { });
        var store = engine.Services.GetRequiredService<AssetStore>();
        await store.EnsureCreatedAsync(CancellationToken.None);
        var minAge = engine.Services.GetRequiredService<IOptions<AssetOptions>>().Value.SweepMinAge;
        Console.WriteLine($"# Missed uploads: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, " +
                          $"load average {Machine.LoadAverage()}; sweep '{UploadSweepTimer.Schedule}', minimum age {minAge}");

        var trigger = ActivatorUtilities.CreateInstance<AssetUploadedTrigger>(engine.Services);
        WebJobsBlobTrigger.OnBlob = (_, name, ct) => trigger.AssetUploaded(store.Uploads.GetBlobClient(name), name, engine.Client, ct);
        await using var webJobs = await WebJobsBlobTrigger.StartAsync(storage.ConnectionString, store.Uploads.Name);
        using var stop = new CancellationTokenSource();
        var sweeps = RunSweepOnScheduleAsync(engine, stop.Token);

        var photo = Workloads.SmallPhoto(64, 48);
        var uploads = store.Uploads;
        await WaitUntilListeningAsync(uploads, photo);
        List<(string Burst, Dictionary<string, Upload> Written)> written = [];
        foreach (var (count, spread) in bursts)
        {
            var burst = spread == TimeSpan.Zero ? $"{count} at once" : $"{count} over {spread.TotalSeconds:0} s";
            written.Add((burst, await UploadBurstAsync(uploads, $"b{written.Count}-", count, spread, photo)));
            await SettleAsync();
            Console.Error.WriteLine($"uploads: {burst}: trigger fired for {written[^1].Written.Keys.Count(WebJobsBlobTrigger.Fired.ContainsKey)}");
        }

        // Every upload must become an asset: the sweep takes what the trigger missed within its minimum age + period.
        var deadline = DateTimeOffset.UtcNow + minAge + TimerTicks.Parse(UploadSweepTimer.Schedule).Period + TimeSpan.FromMinutes(2);
        var all = written.SelectMany(w => w.Written).ToDictionary();
        var started = new Dictionary<string, DateTimeOffset>();
        while (started.Count < all.Count && DateTimeOffset.UtcNow < deadline)
        {
            foreach (var (name, upload) in all.Where(u => !started.ContainsKey(u.Key)))
            {
                if (await engine.Client.GetInstanceAsync(upload.InstanceId, getInputsAndOutputs: false) is { } instance)
                {
                    started[name] = instance.CreatedAt;
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(5));
        }

        await stop.CancelAsync();
        var sweepRuns = await sweeps;
        Print(written, started, sweepRuns);
        return started.Count == all.Count ? 0 : 1;
    }

    /// <summary>Written at once (16 at a time) or one by one spread evenly; the names and last-modified times.</summary>
    private static async Task<Dictionary<string, Upload>> UploadBurstAsync(
        BlobContainerClient uploads, string prefix, int count, TimeSpan spread, byte[] photo)
    {
        ConcurrentDictionary<string, Upload> written = new();
        async ValueTask PutAsync(int i, CancellationToken ct)
        {
            var name = $"{prefix}{i:D4}.jpg";
            var response = await uploads.GetBlobClient(name).UploadAsync(new BinaryData(photo), overwrite: true, ct);
            written[name] = new Upload(response.Value.LastModified, AssetIds.InstanceId(AssetIds.FromUpload(uploads.Name, name, response.Value.ETag)));
        }

        if (spread == TimeSpan.Zero)
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, PutAsync);
        }
        else
        {
            for (var i = 0; i < count; i++)
            {
                await PutAsync(i, CancellationToken.None);
                await Task.Delay(spread / count);
            }
        }

        return new Dictionary<string, Upload>(written);
    }

    /// <summary>Until the trigger has fired for nothing new for <see cref="Settle"/>.</summary>
    private static async Task SettleAsync()
    {
        var last = WebJobsBlobTrigger.Firings;
        var quietSince = DateTimeOffset.UtcNow;
        while (DateTimeOffset.UtcNow - quietSince < Settle)
        {
            await Task.Delay(500);
            if (WebJobsBlobTrigger.Firings != last)
            {
                (last, quietSince) = (WebJobsBlobTrigger.Firings, DateTimeOffset.UtcNow);
            }
        }
    }

    /// <summary>One probe upload, until the trigger fires for it: the listener has started and has scanned once.</summary>
    private static async Task WaitUntilListeningAsync(BlobContainerClient uploads, byte[] photo)
    {
        await uploads.GetBlobClient("probe.jpg").UploadAsync(new BinaryData(photo), overwrite: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!WebJobsBlobTrigger.Fired.ContainsKey("probe.jpg"))
        {
            await Task.Delay(250, timeout.Token);
        }
    }

    /// <summary>The app's SweepUploads at every tick of its schedule, as the host's timer would run it; the runs' times and starts.</summary>
    private static async Task<List<(DateTimeOffset At, TimeSpan Took, string Result)>> RunSweepOnScheduleAsync(BenchEngine engine, CancellationToken stop)
    {
        var sweep = ActivatorUtilities.CreateInstance<UploadSweepTimer>(engine.Services);
        var ticks = TimerTicks.Parse(UploadSweepTimer.Schedule);
        List<(DateTimeOffset, TimeSpan, string)> runs = [];
        try
        {
            while (true)
            {
                var tick = ticks.After(DateTimeOffset.UtcNow);
                await Task.Delay(tick - DateTimeOffset.UtcNow, stop);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var (started, failures) = await sweep.SweepAsync(engine.Client, stop);
                runs.Add((tick, clock.Elapsed, $"started {started}, failed {failures.Count}"));
                Console.Error.WriteLine($"uploads: sweep at {tick:HH:mm:ss}: started {started}, failed {failures.Count}, {clock.Elapsed.TotalSeconds:0.0} s");
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return runs;
        }
    }

    private static void Print(
        List<(string Burst, Dictionary<string, Upload> Written)> bursts,
        Dictionary<string, DateTimeOffset> started,
        List<(DateTimeOffset At, TimeSpan Took, string Result)> sweeps)
    {
        var table = new Table(["burst", "uploads", "trigger fired", "missed", "missed: upload → asset, max s", "trigger: upload → asset, p50 / max s", "never an asset"]);
        foreach (var (burst, written) in bursts)
        {
            var missed = written.Keys.Where(n => !WebJobsBlobTrigger.Fired.ContainsKey(n)).ToList();
            var fired = written.Keys.Where(WebJobsBlobTrigger.Fired.ContainsKey).Where(started.ContainsKey)
                .Select(n => (started[n] - written[n].LastModified).TotalSeconds).Order().ToList();
            var missedLatency = missed.Where(started.ContainsKey).Select(n => (started[n] - written[n].LastModified).TotalSeconds).DefaultIfEmpty().Max();
            table.Add(burst, F(written.Count), F(written.Count - missed.Count), F(missed.Count),
                missed.Count == 0 ? "-" : missedLatency.ToString("0", CultureInfo.InvariantCulture),
                fired.Count == 0 ? "-" : $"{fired[fired.Count / 2]:0.0} / {fired[^1]:0.0}",
                F(written.Keys.Count(n => !started.ContainsKey(n))));
        }

        Console.WriteLine();
        Console.Write(table);
        Console.WriteLine();
        Console.WriteLine($"Trigger firings {WebJobsBlobTrigger.Firings} for {WebJobsBlobTrigger.Fired.Count} blobs (incl. the probe); " +
                          $"sweep runs: {string.Join("; ", sweeps.Select(s => $"{s.At:HH:mm} {s.Result} in {s.Took.TotalSeconds:0.0} s"))}");
        Console.WriteLine("upload → asset: the upload's last-modified time to its instance's creation (second resolution).");
    }

    /// <summary>One upload: when storage says it was written, and the instance its asset gets.</summary>
    private sealed record Upload(DateTimeOffset LastModified, string InstanceId);

    private static string F(int value) => value.ToString(CultureInfo.InvariantCulture);
}
