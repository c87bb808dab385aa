using Microsoft.Extensions.DependencyInjection;
using Workflows.Orders;
using Workflows.Orders.Storage;
using Workflows.Tests.Orders;
using Workflows.Tests.TestSupport;
using Xunit.Abstractions;

namespace Workflows.Tests.Reliability;

/// <summary>
/// 200 customers order one unit each, at the same moment, of a SKU with 50 units over two warehouses, with and without
/// storage faults: exactly 50 sold without faults (never more with them), stock never negative while they race, every
/// other order compensated. Quick mode (CI): 40 orders for 10 units; <c>WORKFLOWS_RELIABILITY=long</c>: 200 for 50.
/// </summary>
[Collection(nameof(ReliabilityRunsAlone))]
public sealed class ContentionTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.10)]
    public async Task OrderFulfilment_FourTimesMoreConcurrentOrdersThanUnits_NeverOversoldEveryOtherCompensated(double faultShare)
    {
        // Arrange
        var run = ReliabilityRun.Current;
        var (orders, units) = (run.Pick(40, 200), run.Pick(10, 50));
        var fault = new StorageFault();
        await using var app = await TestApp.StartAsync(OrdersTestApp.Configure, fault.InjectIntoAppStorage);
        var work = new Workload(app.Services, app.Client, attempts: 10);
        await app.Services.GetRequiredService<CatalogueStore>().UpsertAsync(new Product("HOT50", "Hot", 10m, "EUR"), CancellationToken.None);
        await app.Services.GetRequiredService<StockStore>().AddIfMissingAsync("HOT50", "ams", units * 3 / 5, CancellationToken.None);
        await app.Services.GetRequiredService<StockStore>().AddIfMissingAsync("HOT50", "fra", units - (units * 3 / 5), CancellationToken.None);
        using var sampling = new CancellationTokenSource();
        var samples = SampleStockAsync(app.Services.GetRequiredService<StockStore>(), sampling.Token);
        fault.FailShare(faultShare, run.Seed);

        // Act
        var ids = await Task.WhenAll(Enumerable.Range(0, orders).Select(n => work.PlaceOrderAsync(OrderBody.Of(("HOT50", 1)).WithId($"hot-{n}-{Guid.NewGuid():N}"))));
        await Workload.WaitUntilFinishedAsync(app.Client, ids);
        fault.FailShare(0, run.Seed);
        var operatorRequests = await work.ResolveParkedOrdersAsync(ids);
        await sampling.CancelAsync();

        // Assert: the audit checks money, bookings, reservations and that available + sold = 50.
        var audit = new Audit();
        await OrderAudit.AuditAsync(audit, app.Services, app.Client, ids, new Dictionary<string, int> { ["HOT50"] = units });
        var negative = (await samples).Count(s => s.Available < 0 || s.Reserved < 0);
        output.WriteLine($"contention ({run.Name}, {orders} orders for {units} units, faults {faultShare:P0}): " + audit.Figures(("stock samples", (await samples).Count), ("negative", negative), ("operator resumes", operatorRequests)) + " " + fault.Figures);
        Assert.Equal(0, negative);
        audit.AssertClean();
        if (faultShare == 0)
        {
            Assert.Equal(units, audit["units sold"]);
            Assert.Equal(orders - units, audit["orders Failed"]);
        }
    }

    /// <summary>Reads the stock rows over and over until cancelled (outside the app: never faulted); returns every row read.</summary>
    private static async Task<List<StockEntity>> SampleStockAsync(StockStore store, CancellationToken ct)
    {
        using var outside = StorageFault.OutsideTheApp();
        List<StockEntity> samples = [];
        while (!ct.IsCancellationRequested)
        {
            samples.AddRange(await store.GetStockAsync("HOT50", CancellationToken.None));
            await Task.Delay(20, CancellationToken.None);
        }

        return samples;
    }
}
