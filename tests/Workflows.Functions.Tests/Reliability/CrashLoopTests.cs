using System.Diagnostics;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets;
using Workflows.Assets.Http;
using Workflows.Assets.Storage;
using Workflows.Assets.Uploads;
using Workflows.Orders.Http;
using Workflows.Orders.Shipping;
using Workflows.Orders.Storage;
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
public sealed class CrashLoopTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, (decimal Price, int PerWarehouse)> Catalogue = new(StringComparer.Ordinal)
    {
        ["CL-A"] = (20m, 600),
        ["CL-B"] = (35m, 300),
        ["CL-SCARCE"] = (50m, 3), // runs out early: later orders for it are rejected and compensated
    };

    [Fact]
    public async Task App_KilledAtRandomPointsWithOrdersAndUploadsInFlight_NothingLostNothingTwice()
    {
        // Arrange: two warehouses per SKU.
        var run = ReliabilityRun.Current;
        var random = new Random(run.Seed);
        var kills = run.Pick(3, 120);
        await using var app = await ChildProcessApp.StartAsync(values =>
        {
            OrdersTestApp.Configure(values);
            AssetsTestApp.Configure(values);
        });
        var store = app.Services.GetRequiredService<AssetStore>();
        await store.EnsureCreatedAsync();
        foreach (var (sku, (price, units)) in Catalogue)
        {
            await app.Services.GetRequiredService<CatalogueStore>().UpsertAsync(new Product(sku, sku, price, "EUR"), CancellationToken.None);
            await app.Services.GetRequiredService<StockStore>().AddIfMissingAsync(sku, "ams", units, CancellationToken.None);
            await app.Services.GetRequiredService<StockStore>().AddIfMissingAsync(sku, "fra", units, CancellationToken.None);
        }

        List<string> orders = [];
        List<string> assets = [];
        var clock = Stopwatch.StartNew();

        // Act: each round puts new work in flight, then the process dies at a random moment and a new one takes over.
        for (var kill = 0; kill < kills; kill++)
        {
            for (var i = 0; i < 4; i++)
            {
                orders.Add(await PlaceOrderAsync(app, NextOrder(orders.Count)));
            }

            assets.Add(await UploadOverHttpAsync(app, $"http-{kill}.jpg", TestImages.Jpeg(320, 240)));
            assets.Add(await DropUploadAsync(app, store, $"drop-{kill}.jpg", TestImages.Jpeg(240, 320)));
            if (kill % 2 == 1)
            {
                assets.Add(await DropUploadAsync(app, store, $"bad-{kill}.jpg", kill % 4 == 1 ? TestImages.Text() : TestImages.Truncated(TestImages.Jpeg(320, 240))));
            }

            await Task.Delay(random.Next(100, 2500));
            await app.KillProcessAsync();
            await app.StartProcessAsync();
        }

        var settled = await WaitUntilFinishedAsync(app.Client, orders, assets.Select(AssetIds.InstanceId));

        // Assert
        var audit = new Audit();
        await OrderAudit.AuditAsync(audit, app.Services, app.Client, orders, Catalogue.ToDictionary(c => c.Key, c => c.Value.PerWarehouse * 2));
        await AssetAudit.AuditAsync(audit, store, app.Client, assets);
        output.WriteLine($"crash loop ({run.Name}, seed {run.Seed}): " + audit.Figures(
            ("kills", kills), ("minutes", Math.Round(clock.Elapsed.TotalMinutes, 1)), ("settled after last restart s", Math.Round(settled.TotalSeconds))));
        audit.AssertClean();
    }

    /// <summary>A mix that takes every path: plain, split across warehouses, declined, refunded, retried, out of stock.</summary>
    private static OrderBody NextOrder(int n) => (n % 6) switch
    {
        0 => OrderBody.Of(("CL-SCARCE", 2)),
        1 => OrderBody.Of(("CL-A", 1)).PaidWith("tok_decline"),
        2 => OrderBody.Of(("CL-B", 1)).ShippedTo(LocalCarrier.UndeliverablePostalCode),
        3 => OrderBody.Of(("CL-A", 2)).PaidWith("tok_transient_1"),
        4 => OrderBody.Of(("CL-A", 3), ("CL-B", 1)),
        _ => OrderBody.Of(("CL-A", 1)),
    };

    private static async Task<string> PlaceOrderAsync(ChildProcessApp app, OrderBody body)
    {
        var request = TestHttp.Request("POST", "/api/orders", body);
        var response = await (await app.CreateFunction<StartOrderHttp>().StartOrder(request, app.Client)).ExecuteAsync(request);
        Assert.True(response.StatusCode == 202, $"{response.StatusCode}: {response.Text}");
        return response.Json<OrderAccepted>()!.Id;
    }

    private static async Task<string> UploadOverHttpAsync(ChildProcessApp app, string name, byte[] content)
    {
        var request = TestHttp.Request("POST", $"/api/assets?name={name}", new MemoryStream(content), "image/jpeg");
        var response = await (await app.CreateFunction<UploadAssetHttp>().UploadAsset(request, app.Client, default)).ExecuteAsync(request);
        Assert.True(response.StatusCode == 202, $"{response.StatusCode}: {response.Text}");
        return response.Json<AssetAccepted>()!.Id;
    }

    /// <summary>A blob written straight into uploads, and the blob trigger fired for it as the host would.</summary>
    private static async Task<string> DropUploadAsync(ChildProcessApp app, AssetStore store, string name, byte[] content)
    {
        var blob = store.Uploads.GetBlobClient(name);
        await blob.UploadAsync(new BinaryData(content));
        await app.CreateFunction<AssetUploadedTrigger>().AssetUploaded(blob, name, app.Client, default);
        return await AssetsTestApp.AssetIdOfAsync(blob);
    }

    /// <summary>Waits (at most 5 minutes) until every instance has finished; returns how long that took.</summary>
    internal static async Task<TimeSpan> WaitUntilFinishedAsync(DurableTaskClient client, params IEnumerable<string>[] instanceIds)
    {
        var clock = Stopwatch.StartNew();
        var pending = instanceIds.SelectMany(ids => ids).ToList();
        while (pending.Count > 0 && clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            List<string> still = [];
            foreach (var id in pending)
            {
                if (await client.GetInstanceAsync(id) is not { IsCompleted: true })
                {
                    still.Add(id);
                }
            }

            pending = still;
            await Task.Delay(pending.Count > 0 ? 500 : 0);
        }

        return clock.Elapsed;
    }
}
