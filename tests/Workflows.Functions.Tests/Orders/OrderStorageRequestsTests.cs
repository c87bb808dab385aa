using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Workflows.Orders;
using Workflows.Orders.Storage;
using Workflows.Shared.Storage;
using Workflows.Tests.TestSupport;
using Xunit.Abstractions;

namespace Workflows.Tests.Orders;

/// <summary>
/// The app's own storage requests per order, counted by a policy on its clients and attributed to the activity that made
/// them (README, Performance, Orchestrations): the figure the order's cost against its bare twin is driven by. The
/// counts are exact, so a step that starts reading before it writes again (or creating tables per call) fails here.
/// </summary>
public sealed class OrderStorageRequestsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly CancellationToken _ct = CancellationToken.None;
    private readonly StorageRequests _requests = new();
    private OrdersTestApp _orders = null!;

    public async Task InitializeAsync() => _orders = await OrdersTestApp.StartAsync(services: s =>
        s.AddAzureClients(clients => clients.ConfigureDefaults(o => o.AddPolicy(_requests, HttpPipelinePosition.PerRetry))));

    public async Task DisposeAsync() => await _orders.DisposeAsync();

    [Fact]
    public async Task Order_OneLineFromOneWarehouse_EachActivityMakesItsCountedRequests()
    {
        // Arrange: a first order creates the local providers' tables (once per process).
        await _orders.SeedAsync("REQ", 10.00m, ("ams", 10));
        await _orders.RunOrderAsync(OrderBody.Of(("REQ", 1)));
        _requests.Reset();

        // Act
        var outcome = await _orders.RunOrderAsync(OrderBody.Of(("REQ", 1)));

        // Assert: main before this change made 5, 10, 11, 9, 9, 1 and 6 (51): each view write read the view and each
        // index row first, the ledger was read twice, the gateway read before it added, the reserve read its claim.
        // Until pricing stopped writing the view (Received goes with the first reserve), PriceOrder made 3 (31).
        Assert.Equal(OrderStatus.Completed, outcome.Status);
        var counts = _requests.TakeSnapshot().Where(c => c.Key.Activity != "(outside activities)").ToList();
        foreach (var c in counts.OrderBy(c => c.Key.Activity, StringComparer.Ordinal))
        {
            output.WriteLine($"{c.Key.Activity}: {c.Key.Service} {c.Key.Operation} ×{c.Value}");
        }

        var byActivity = counts.GroupBy(c => c.Key.Activity).ToDictionary(g => g.Key, g => g.Sum(c => c.Value));
        Assert.Equal(
            new Dictionary<string, long>
            {
                [nameof(CatalogueActivities.PriceOrder)] = 1, // the product read (Received rides with the first reserve)
                [nameof(StockActivities.ReserveStock)] = 6, // view, index row, SKU index row added; reservations, stock, batch
                [nameof(PaymentActivities.ChargePayment)] = 6, // view, 2 index rows; ledger read, gateway add, ledger add
                [nameof(ShipmentActivities.CreateShipment)] = 6, // view, 2 index rows; shipment read, carrier add, shipment add
                [nameof(StockActivities.CommitStock)] = 6, // view, 2 index rows; reservations, stock, batch
                [nameof(OrderViewActivities.PublishOrderEvent)] = 4, // the event; then Completed: view, 2 index rows
            },
            byActivity);
        // No table created per order, and no conditional write refused (a guess that was wrong).
        Assert.DoesNotContain(counts, c => c.Key.Operation.EndsWith(" table", StringComparison.Ordinal) || c.Key.Operation.EndsWith("→ 412", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApplyView_ARememberedRowWrittenByAnotherProcessSince_ReadsOnceAndAppliesOnTopInOrder()
    {
        // Arrange: two processes (stores of their own) write one order's view; this one remembers write 2.
        var id = TestNames.Unique("views");
        var at = DateTime.UtcNow;
        var requests = new StorageRequests();
        var (here, hereIndex) = Stores(requests);
        var (there, _) = Stores(new StorageRequests());
        await here.ApplyAsync([Progress(id, OrderStatus.Received, "Received", at, 1)], _ct);
        await here.ApplyAsync([Progress(id, OrderStatus.Reserving, "Priced", at.AddSeconds(1), 2)], _ct);
        await there.ApplyAsync([Progress(id, OrderStatus.Charging, "Charging", at.AddSeconds(2), 3)], _ct);
        requests.Reset();

        // Act: write 4 here, on the remembered (stale) ETag.
        var view = await here.ApplyAsync([Progress(id, OrderStatus.Shipping, "Shipping", at.AddSeconds(3), 4)], _ct);

        // Assert: for the view and its index row alike, one refused conditional write, one read, then the write; every
        // step in order, view and index at write 4.
        Assert.Equal(["Received", "Priced", "Charging", "Shipping"], view!.Steps.Select(s => s.Step));
        Assert.Equal(view.Steps, (await _orders.Get<OrderViewStore>().FindAsync(id, _ct))!.Steps);
        Assert.Equal(
            new Dictionary<string, long> { ["PUT entity if-match → 412"] = 2, ["GET entity"] = 2, ["PUT entity if-match"] = 2 },
            requests.TakeSnapshot().ToDictionary(c => c.Key.Operation, c => c.Value));
        Assert.Equal(OrderStatus.Shipping, await IndexedStatusAsync(hereIndex, id));
    }

    [Fact]
    public async Task RecordOrderProgress_LateDuplicateOfAnEarlierWriteWithAStaleMemory_AnswersTheStoredViewChangingNothing()
    {
        // Arrange: this process wrote 1 to 3 and remembers 3; another wrote 4 since.
        var id = TestNames.Unique("views");
        var at = DateTime.UtcNow;
        var requests = new StorageRequests();
        var (here, hereIndex) = Stores(requests);
        var (there, _) = Stores(new StorageRequests());
        var two = Progress(id, OrderStatus.Reserving, "Priced", at.AddSeconds(1), 2);
        await here.ApplyAsync([Progress(id, OrderStatus.Received, "Received", at, 1)], _ct);
        await here.ApplyAsync([two], _ct);
        await here.ApplyAsync([Progress(id, OrderStatus.Charging, "Charging", at.AddSeconds(2), 3)], _ct);
        await there.ApplyAsync([Progress(id, OrderStatus.Shipping, "Shipping", at.AddSeconds(3), 4)], _ct);
        requests.Reset();

        // Act: write 2 again here (a late duplicate execution of its step).
        var answered = await new OrderViewActivities(here, _orders.Get<OrderEventPublisher>()).RecordOrderProgress([two], _ct);
        var made = requests.TakeSnapshot().ToDictionary(c => c.Key.Operation, c => c.Value);

        // Assert: it answers what is stored (not the remembered Charging), for one read; nothing is written.
        Assert.Equal(OrderStatus.Shipping, answered);
        Assert.Equal(new Dictionary<string, long> { ["GET entity"] = 1 }, made);
        Assert.Equal(OrderStatus.Shipping, (await _orders.Get<OrderViewStore>().FindAsync(id, _ct))!.Status);
        Assert.Equal(OrderStatus.Shipping, await IndexedStatusAsync(hereIndex, id));
    }

    [Fact]
    public async Task ApplyView_AfterTheViewWentFinal_TheProcessNoLongerRemembersItAndReadsFirst()
    {
        // Arrange: this process wrote the order up to Completed (its final write).
        var id = TestNames.Unique("views");
        var at = DateTime.UtcNow;
        var requests = new StorageRequests();
        var (here, hereIndex) = Stores(requests);
        await here.ApplyAsync([Progress(id, OrderStatus.Received, "Received", at, 1)], _ct);
        await here.ApplyAsync([Progress(id, OrderStatus.Completed, "Completed", at.AddSeconds(1), 2)], _ct);
        requests.Reset();

        // Act: the final publish failed, so the saga writes on (Compensating).
        var view = await here.ApplyAsync([Progress(id, OrderStatus.Compensating, "Compensating", at.AddSeconds(2), 3)], _ct);

        // Assert: the view is read before its write (a finished order's view, with all its lines, is not kept in
        // memory: the memory holds the orders in flight); the index row is still remembered.
        Assert.Equal(["Received", "Completed", "Compensating"], view!.Steps.Select(s => s.Step));
        Assert.Equal(
            new Dictionary<string, long> { ["GET entity"] = 1, ["PUT entity if-match"] = 2 },
            requests.TakeSnapshot().ToDictionary(c => c.Key.Operation, c => c.Value));
        Assert.Equal(OrderStatus.Compensating, await IndexedStatusAsync(hereIndex, id));
    }

    [Fact]
    public async Task ReserveStock_TwentyOrdersAtOnceOnOneSku_ARetryAfterAnotherOrderTookTheStockRereadsOnlyTheStock()
    {
        // Arrange: one SKU, one warehouse, stock for all of them: each batch that fails, fails on the stock row's ETag.
        var sku = TestNames.Unique("HOTREQ").ToUpperInvariant();
        await _orders.SeedAsync(sku, 10.00m, ("ams", 100));
        var requests = new StorageRequests();
        var stock = new StockStore(Tables(requests));

        // Act
        var reserved = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => stock.ReserveAsync($"{sku}-order-{i}", sku, 1, _ct)));

        // Assert: every order reserved once; each attempt read the stock (its batch is conditional on it), only the first
        // read the order's own reservations, and no retry read the claim row (the claim row, added in the batch, was not
        // why it failed). Main before this change read the reservations and the claim again on every retry.
        var counts = requests.TakeSnapshot().ToDictionary(c => c.Key.Operation, c => c.Value);
        Assert.All(reserved, r => Assert.Single(r.Value!));
        var row = (await stock.GetStockAsync(sku, _ct)).Single();
        Assert.Equal((80, 20), (row.Available, row.Reserved));
        output.WriteLine(string.Join(", ", counts.Select(c => $"{c.Key} ×{c.Value}")));
        var batches = counts.Where(c => c.Key.StartsWith("POST batch", StringComparison.Ordinal)).Sum(c => c.Value);
        Assert.True(batches > 20, $"no contention happened ({batches} batches for 20 reserves): the scenario did not run");
        Assert.Equal(20 + batches, counts["GET query"]);
        Assert.DoesNotContain(counts, c => c.Key.StartsWith("GET entity", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CommitStock_TwentyOrdersAtOnceOnOneSku_ARetryAfterAnotherOrderMovedTheStockRereadsOnlyTheStock()
    {
        // Arrange: twenty orders reserved one unit each of one SKU in one warehouse.
        var sku = TestNames.Unique("HOTCOMMIT").ToUpperInvariant();
        await _orders.SeedAsync(sku, 10.00m, ("ams", 100));
        var requests = new StorageRequests();
        var stock = new StockStore(Tables(requests));
        var ids = Enumerable.Range(0, 20).Select(i => $"{sku}-order-{i}").ToList();
        foreach (var id in ids)
        {
            await stock.ReserveAsync(id, sku, 1, _ct);
        }

        requests.Reset();

        // Act: all of them ship at once.
        var committed = await Task.WhenAll(ids.Select(id => stock.CommitAsync(id, sku, _ct)));

        // Assert: each committed its unit once; each attempt read the stock, only the first the order's reservations
        // (main before this change read them again on every retry).
        var counts = requests.TakeSnapshot().ToDictionary(c => c.Key.Operation, c => c.Value);
        output.WriteLine(string.Join(", ", counts.Select(c => $"{c.Key} ×{c.Value}")));
        Assert.All(committed, c => Assert.Equal(1, c));
        var row = (await stock.GetStockAsync(sku, _ct)).Single();
        Assert.Equal((80, 0), (row.Available, row.Reserved));
        foreach (var id in ids)
        {
            Assert.Equal(ReservationState.Committed, (await stock.GetReservationsAsync(id, sku, _ct)).Single().State);
        }

        var batches = counts.Where(c => c.Key.StartsWith("POST batch", StringComparison.Ordinal)).Sum(c => c.Value);
        Assert.True(batches > 20, $"no contention happened ({batches} batches for 20 commits): the scenario did not run");
        Assert.Equal(20 + batches, counts["GET query"]);
    }

    /// <summary>An order view store and its index as a process of their own holds them (nothing remembered), on the app's tables.</summary>
    private (OrderViewStore Views, OrderIndexStore Index) Stores(StorageRequests requests)
    {
        var tables = Tables(requests);
        var index = new OrderIndexStore(tables);
        return (new OrderViewStore(tables, index), index);
    }

    /// <summary>The app's order tables through a client of their own that counts into <paramref name="requests"/>.</summary>
    private OrderTables Tables(StorageRequests requests)
    {
        var options = new TableClientOptions();
        options.AddPolicy(requests, HttpPipelinePosition.PerRetry);
        return new OrderTables(
            new TableServiceClient(_orders.Get<IConfiguration>()[StorageRegistration.ConnectionName], options),
            _orders.Get<IOptions<OrdersOptions>>());
    }

    private async Task<OrderStatus> IndexedStatusAsync(OrderIndexStore index, string id)
    {
        var (orders, _) = await index.ListAsync(new OrderListQuery([], null, null, null, null, 100), _ct);
        return orders.Single(o => o.Id == id).Status;
    }

    private static RecordProgressRequest Progress(string id, OrderStatus status, string step, DateTime at, int sequence) =>
        new(id, status, step, at, Sequence: sequence);
}
