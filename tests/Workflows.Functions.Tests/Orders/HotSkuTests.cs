using Workflows.Orders;
using Workflows.Orders.Storage;

namespace Workflows.Tests.Orders;

public sealed class HotSkuTests
{
    [Fact]
    public async Task OrderFulfilment_FiftyConcurrentOrdersForTwentyUnits_ExactlyTwentyCompleteAndLedgerBalances()
    {
        // Arrange: 20 units over two warehouses; 50 customers order one each at the same time.
        await using var orders = await OrdersTestApp.StartAsync();
        await orders.SeedAsync("HOT", 25.00m, ("ams", 12), ("fra", 8));
        using var sampling = new CancellationTokenSource();
        var samples = SampleStockAsync(orders, "HOT", sampling.Token);

        // Act
        var ids = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => orders.StartOrderAsync(OrderBody.Of(("HOT", 1)))));
        var outcomes = await Task.WhenAll(ids.Select(orders.WaitAsync));
        await sampling.CancelAsync();

        // Assert
        Assert.Equal(20, outcomes.Count(o => o.Status == OrderStatus.Completed));
        Assert.Equal(30, outcomes.Count(o => o.Status == OrderStatus.Failed && o.Reason!.StartsWith("out_of_stock", StringComparison.Ordinal)));
        Assert.All(await samples, s => Assert.True(s.Available >= 0 && s.Reserved >= 0, $"{s.Warehouse}: {s.Available}/{s.Reserved}"));
        var stock = await orders.Get<StockStore>().GetStockAsync("HOT", CancellationToken.None);
        Assert.All(stock, s => Assert.Equal((0, 0), (s.Available, s.Reserved)));

        var ledger = orders.Get<PaymentLedger>();
        foreach (var outcome in outcomes)
        {
            var entries = await ledger.ListAsync(outcome.OrderId, CancellationToken.None);
            var net = entries.Sum(e => e.Kind == PaymentLedger.Charge ? e.Amount : -e.Amount);
            Assert.Equal(outcome.Status == OrderStatus.Completed ? 25.00m : 0m, net);
        }
    }

    /// <summary>Reads the stock rows over and over until cancelled; every row read is returned.</summary>
    private static async Task<List<StockEntity>> SampleStockAsync(OrdersTestApp orders, string sku, CancellationToken ct)
    {
        List<StockEntity> samples = [];
        var store = orders.Get<StockStore>();
        while (!ct.IsCancellationRequested)
        {
            samples.AddRange(await store.GetStockAsync(sku, CancellationToken.None));
            await Task.Delay(20, CancellationToken.None);
        }

        return samples;
    }
}
