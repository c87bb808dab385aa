using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets;
using Workflows.Assets.Storage;
using Workflows.Tests.Assets;
using Workflows.Tests.Orders;
using Workflows.Tests.TestSupport;
using Xunit.Abstractions;

namespace Workflows.Tests.Reliability;

/// <summary>
/// The crash loop: the app in a child process on the Azure Storage engine over Azurite, with orders and uploads in
/// flight, SIGKILLed at seeded random moments and restarted, over and over; then everything is audited from the ledgers,
/// tables and blobs. Quick: 3 kills. <c>WORKFLOWS_RELIABILITY=long</c>: 120 kills.
/// </summary>
[Collection(nameof(ReliabilityRunsAlone))]
public sealed class CrashLoopTests(ITestOutputHelper output)
{
    [Fact]
    public async Task App_KilledAtRandomPointsWithOrdersAndUploadsInFlight_NothingLostNothingTwice()
    {
        // Arrange
        var run = ReliabilityRun.Current;
        var random = new Random(run.Seed);
        var kills = run.Pick(3, 120);
        await using var app = await ChildProcessApp.StartAsync(values =>
        {
            OrdersTestApp.Configure(values);
            AssetsTestApp.Configure(values);
        });
        var work = new Workload(app.Services, app.Client);
        await work.SeedAsync();
        List<string> orders = [];
        List<string> assets = [];
        var clock = Stopwatch.StartNew();

        // Act: each round puts new work in flight, then the process dies at a random moment and a new one takes over.
        for (var kill = 0; kill < kills; kill++)
        {
            for (var i = 0; i < 4; i++)
            {
                orders.Add(await work.PlaceOrderAsync(Workload.Order(orders.Count)));
            }

            assets.Add((await work.UploadOverHttpAsync($"http-{kill}.jpg", TestImages.Jpeg(320, 240)))!);
            assets.Add(await work.DropUploadAsync($"drop-{kill}.jpg", TestImages.Jpeg(240, 320)));
            if (kill % 2 == 1)
            {
                assets.Add(await work.DropUploadAsync($"bad-{kill}.jpg", kill % 4 == 1 ? TestImages.Text() : TestImages.Truncated(TestImages.Jpeg(320, 240))));
            }

            await Task.Delay(random.Next(100, 2500));
            await app.KillProcessAsync();
            await app.StartProcessAsync();
        }

        var settled = await Workload.WaitUntilFinishedAsync(app.Client, orders.Concat(assets.Select(AssetIds.InstanceId)));

        // Assert
        var audit = new Audit();
        await OrderAudit.AuditAsync(audit, app.Services, app.Client, orders, Workload.Seeded);
        await AssetAudit.AuditAsync(audit, app.Services.GetRequiredService<AssetStore>(), app.Client, assets);
        output.WriteLine($"crash loop ({run.Name}, seed {run.Seed}): " + audit.Figures(
            ("kills", kills), ("minutes", Math.Round(clock.Elapsed.TotalMinutes, 1)), ("settled after last restart s", Math.Round(settled.TotalSeconds))));
        audit.AssertClean();
    }
}
