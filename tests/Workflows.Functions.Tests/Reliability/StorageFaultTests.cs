using System.Diagnostics;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets;
using Workflows.Assets.Storage;
using Workflows.Assets.Uploads;
using Workflows.Tests.Assets;
using Workflows.Tests.Orders;
using Workflows.Tests.TestSupport;
using Xunit.Abstractions;

namespace Workflows.Tests.Reliability;

/// <summary>
/// Whole workflows while about 10% of the app's blob, table and queue requests fail (500, 503, or a timeout after the
/// write went through), behind the SDK's own bounded retries: every order and upload ends, consistent.
/// </summary>
[Collection(nameof(ReliabilityRunsAlone))]
public sealed class StorageFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Workflows_TenPercentOfStorageRequestsFail_EveryWorkflowFinishedAndConsistent()
    {
        // Arrange: seeded without faults; then one request in ten fails.
        var run = ReliabilityRun.Current;
        var fault = new StorageFault();
        await using var app = await TestApp.StartAsync(
            values =>
            {
                OrdersTestApp.Configure(values);
                AssetsTestApp.Configure(values);
                values["Assets:SweepMinAge"] = "00:00:00";
                UseProductionRetryCounts(values);
            },
            fault.InjectIntoAppStorage);
        var work = new Workload(app.Services, app.Client, attempts: 10);
        await work.SeedAsync();
        var (orderCount, uploadCount) = (run.Pick(24, 300), run.Pick(6, 60));
        var clock = Stopwatch.StartNew();
        fault.FailShare(0.10, run.Seed);

        // Act: orders and uploads (over HTTP and dropped into the container) at once.
        var orders = Task.WhenAll(Enumerable.Range(0, orderCount).Select(n => work.PlaceOrderAsync(Workload.Order(n))));
        var uploads = Task.WhenAll(Enumerable.Range(0, uploadCount).Select(async n => (n % 3) switch
        {
            0 => await work.UploadOverHttpAsync($"http-{n}.jpg", TestImages.Jpeg(320, 240)),
            1 => await work.DropUploadAsync($"drop-{n}.jpg", TestImages.Jpeg(240, 320)),
            _ => await work.DropUploadAsync($"bad-{n}.jpg", TestImages.Truncated(TestImages.Jpeg(320, 240))),
        }));
        var orderIds = await orders;
        var assetIds = (await uploads).OfType<string>().ToList();
        await Workload.WaitUntilFinishedAsync(app.Client, orderIds.Concat(assetIds.Select(AssetIds.InstanceId)), minutes: 2);

        // The reconciliation sweep, as its timer would run it, takes in any upload whose start was lost to a fault.
        var swept = await SweepUntilCleanAsync(app);
        fault.FailShare(0, run.Seed);
        var operatorRequests = await work.ResolveParkedOrdersAsync(orderIds);
        var store = app.Services.GetRequiredService<AssetStore>();
        List<string> all = [.. assetIds]; // and every upload whose answer a fault ate (each has a record from its starter)
        await foreach (var record in store.Table.QueryAsync<AssetEntity>(select: [nameof(AssetEntity.PartitionKey)]))
        {
            all.Add(record.PartitionKey);
        }

        all = all.Distinct(StringComparer.Ordinal).ToList();
        await Workload.WaitUntilFinishedAsync(app.Client, all.Select(AssetIds.InstanceId), minutes: 1);

        // Assert
        var audit = new Audit();
        await OrderAudit.AuditAsync(audit, app.Services, app.Client, orderIds, Workload.Seeded);
        await AssetAudit.AuditAsync(audit, store, app.Client, all);
        output.WriteLine($"storage faults ({run.Name}, seed {run.Seed}): " + audit.Figures(
            ("seconds", Math.Round(clock.Elapsed.TotalSeconds)), ("client retries", work.ClientRetries), ("sweep runs", swept), ("operator resumes", operatorRequests)) + " " + fault.Figures);
        Assert.InRange(fault.MaxAttemptsOfOneRequest, 1, 4); // the SDK's 3 retries: nothing retries a request without end
        audit.AssertClean();
    }

    /// <summary>The retry counts and backoff the app ships with (README settings), with intervals of milliseconds.</summary>
    private static void UseProductionRetryCounts(IDictionary<string, string?> values)
    {
        foreach (var (retry, attempts) in new[] { ("PaymentRetry", 5), ("StepRetry", 3), ("CompensationRetry", 5), ("CompletionRetry", 10) })
        {
            values[$"Orders:{retry}:MaxAttempts"] = $"{attempts}";
            values[$"Orders:{retry}:BackoffCoefficient"] = "2";
        }

        values["Assets:ActivityMaxAttempts"] = "3";
    }

    /// <summary>Runs the sweep until a run succeeds (a fault can fail a run; the next one retries); returns the runs.</summary>
    private static async Task<int> SweepUntilCleanAsync(TestApp app)
    {
        for (var runs = 1; ; runs++)
        {
            try
            {
                await app.CreateFunction<UploadSweepTimer>().SweepUploads(new TimerInfo(), app.Client, default);
                return runs;
            }
            catch (Exception) when (runs < 10)
            {
                // As the timer would: the next run retries what this one could not start.
            }
        }
    }
}
