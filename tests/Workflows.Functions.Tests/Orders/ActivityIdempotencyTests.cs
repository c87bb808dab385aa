using System.Text.Json;
using Workflows.Orders;
using Workflows.Orders.Shipping;
using Workflows.Orders.Storage;
using Workflows.Shared;
using static Workflows.Tests.Orders.OrderFulfilmentTests;

namespace Workflows.Tests.Orders;

/// <summary>Every activity and compensation, run twice with the same request, has the effect of running once.</summary>
public sealed class ActivityIdempotencyTests : IAsyncLifetime
{
    private const string Order = "order-twice";
    private readonly CancellationToken _ct = CancellationToken.None;
    private OrdersTestApp _orders = null!;

    public async Task InitializeAsync()
    {
        _orders = await OrdersTestApp.StartAsync();
        await _orders.SeedAsync("KB", 10.00m, ("ams", 3), ("fra", 2));
    }

    public async Task DisposeAsync() => await _orders.DisposeAsync();

    [Fact]
    public async Task ReserveStock_RunTwice_ReservesOnce()
    {
        // Arrange
        var stock = _orders.App.CreateFunction<StockActivities>();
        var request = new ReserveStockRequest($"{Order}:reserve:KB", Order, "KB", 4);

        // Act
        var first = await stock.ReserveStock(request, _ct);
        var second = await stock.ReserveStock(request, _ct);

        // Assert
        Assert.Equal(first.Value!.OrderBy(a => a.Warehouse), second.Value!.OrderBy(a => a.Warehouse));
        Assert.Equal([new("KB", "ams", 3), new("KB", "fra", 1)], first.Value!.OrderBy(a => a.Warehouse));
        Assert.Equal((0, 3), Counts(await _orders.StockAsync("KB", "ams")));
        Assert.Equal((1, 1), Counts(await _orders.StockAsync("KB", "fra")));
    }

    [Fact]
    public async Task ReleaseStock_RunTwice_ReleasesOnceAndNothingReservedIsANoOp()
    {
        // Arrange
        var stock = _orders.App.CreateFunction<StockActivities>();
        await stock.ReserveStock(new ReserveStockRequest("k", Order, "KB", 2), _ct);
        var release = new StockLineRequest($"{Order}:release:KB", Order, "KB");

        // Act
        var first = await stock.ReleaseStock(release, _ct);
        var second = await stock.ReleaseStock(release, _ct);
        var never = await stock.ReleaseStock(new StockLineRequest("k", "order-never-reserved", "KB"), _ct);

        // Assert
        Assert.Equal((2, 0, 0), (first, second, never));
        Assert.Equal((3, 0), Counts(await _orders.StockAsync("KB", "ams")));
        Assert.Equal((2, 0), Counts(await _orders.StockAsync("KB", "fra")));
    }

    [Fact]
    public async Task CommitStock_RunTwice_TakesStockOnce()
    {
        // Arrange
        var stock = _orders.App.CreateFunction<StockActivities>();
        await stock.ReserveStock(new ReserveStockRequest("k", Order, "KB", 2), _ct);
        var commit = new CommitStockRequest($"{Order}:commit", Order, ["KB"]);

        // Act
        var first = await stock.CommitStock(commit, _ct);
        var second = await stock.CommitStock(commit, _ct);

        // Assert
        Assert.Equal((2, 0), (first, second));
        Assert.Equal((1, 0), Counts(await _orders.StockAsync("KB", "ams")));
    }

    [Fact]
    public async Task ChargePaymentAndRefundPayment_RunTwice_OneChargeAndOneRefundInLedger()
    {
        // Arrange
        var payments = _orders.App.CreateFunction<PaymentActivities>();
        var charge = new ChargePaymentRequest($"{Order}:charge", Order, "tok_approve", 42.50m, "EUR");
        var refund = new RefundPaymentRequest($"{Order}:refund", charge.Key, Order);

        // Act
        var firstCharge = await payments.ChargePayment(charge, _ct);
        var secondCharge = await payments.ChargePayment(charge, _ct);
        var firstRefund = await payments.RefundPayment(refund, _ct);
        var secondRefund = await payments.RefundPayment(refund, _ct);
        var nothingCharged = await payments.RefundPayment(new RefundPaymentRequest("r", "never-charged", "order-other"), _ct);

        // Assert
        Assert.Equal(firstCharge.Value, secondCharge.Value);
        Assert.Equal((true, true, false), (firstRefund, secondRefund, nothingCharged));
        var ledger = await _orders.Get<PaymentLedger>().ListAsync(Order, _ct);
        Assert.Equal([(PaymentLedger.Charge, 42.50m), (PaymentLedger.Refund, 42.50m)], ledger.Select(e => (e.Kind, e.Amount)).Order());
        Assert.Empty(await _orders.Get<PaymentLedger>().ListAsync("order-other", _ct));
    }

    [Fact]
    public async Task CreateShipmentAndCancelShipment_RunTwice_OneShipmentThenCancelled()
    {
        // Arrange
        var shipping = _orders.App.CreateFunction<ShipmentActivities>();
        var address = new ShippingAddress("Ada", "1 Way", null, "London", "N1", "GB");
        var create = new CreateShipmentRequest($"{Order}:ship:ams", Order, "ams", [new("KB", "ams", 1)], address);
        var cancel = new CancelShipmentRequest(create.Key, Order, "ams");

        // Act
        var first = await shipping.CreateShipment(create, _ct);
        var second = await shipping.CreateShipment(create, _ct);
        await shipping.CancelShipment(cancel, _ct);
        await shipping.CancelShipment(cancel, _ct);

        // Assert
        Assert.Equal(first.Value, second.Value);
        var shipment = Assert.Single(await _orders.Get<ShipmentStore>().ListAsync(Order, _ct));
        Assert.Equal((ShipmentStore.Cancelled, first.Value!.TrackingNumber), (shipment.Status, shipment.TrackingNumber));
        Assert.Equal(LocalCarrier.Cancelled, await _orders.Get<LocalCarrier>().StatusAsync(create.Key, _ct));
    }

    [Fact]
    public async Task ReserveStock_CarryingProgress_RunTwice_ReservesOnceAndWritesTheStepsOnce()
    {
        // Arrange: the first reservation carries the steps noted since the last view write.
        var stock = _orders.App.CreateFunction<StockActivities>();
        var at = new DateTime(2026, 11, 27, 4, 0, 0, DateTimeKind.Utc);
        var priced = new PricedOrder(Order, "EUR", [new PricedLine("KB", "Keyboard", 2, 10m, 20m)], 20m);
        var request = new ReserveStockRequest($"{Order}:reserve:KB", Order, "KB", 2,
            [new(Order, OrderStatus.Received, "Received", at, Sequence: 1), new(Order, OrderStatus.Reserving, "Priced", at.AddSeconds(1), priced, Sequence: 2)]);

        // Act
        await stock.ReserveStock(request, _ct);
        var first = await _orders.Get<OrderViewStore>().FindAsync(Order, _ct);
        await stock.ReserveStock(request, _ct);
        var second = await _orders.Get<OrderViewStore>().FindAsync(Order, _ct);

        // Assert
        Assert.Equivalent(first, second, strict: true);
        Assert.Equal(["Received", "Priced"], second!.Steps.Select(s => s.Step));
        Assert.Equal((OrderStatus.Reserving, 20m), (second.Status, second.Total));
        Assert.Equal((1, 2), Counts(await _orders.StockAsync("KB", "ams")));
    }

    [Fact]
    public async Task RecordOrderProgress_RunTwice_SameView()
    {
        // Arrange
        var views = _orders.App.CreateFunction<OrderViewActivities>();
        var at = new DateTime(2026, 11, 27, 4, 0, 0, DateTimeKind.Utc);
        var priced = new PricedOrder(Order, "EUR", [new PricedLine("KB", "Keyboard", 2, 10m, 20m)], 20m);
        var request = new RecordProgressRequest(Order, OrderStatus.CompensationFailed, "CompensationFailed", at, priced,
            "payment_declined: card_declined", ["ReleaseStock"], [new CompensationFailure("RefundPayment", "X", "down")]);

        // Act
        await views.RecordOrderProgress([request], _ct);
        var first = await _orders.Get<OrderViewStore>().FindAsync(Order, _ct);
        await views.RecordOrderProgress([request], _ct);
        var second = await _orders.Get<OrderViewStore>().FindAsync(Order, _ct);

        // Assert
        Assert.Equivalent(first, second, strict: true);
        Assert.Single(second!.Steps);
        Assert.Equal(20m, second.Total);
    }

    [Fact]
    public async Task PublishOrderEvent_RunTwice_SameViewAndTheSameEventTwice()
    {
        // Arrange: a shipped order's last step (Completed: the event, then the view).
        var views = _orders.App.CreateFunction<OrderViewActivities>();
        var at = new DateTime(2026, 11, 27, 4, 0, 0, DateTimeKind.Utc);
        var priced = new PricedOrder(Order, "EUR", [new PricedLine("KB", "Keyboard", 2, 10m, 20m)], 20m);
        await views.RecordOrderProgress([new RecordProgressRequest(Order, OrderStatus.Completing, "Shipped", at, priced, Sequence: 7)], _ct);
        var orderEvent = new OrderEvent($"{Order}:OrderCompleted", OrderEventType.OrderCompleted, Order, at, "EUR", 20m, priced.Lines, null);
        var request = new PublishOrderEventRequest(
            orderEvent, [new RecordProgressRequest(Order, OrderStatus.Completed, "Completed", at.AddSeconds(1), Sequence: 8)], PublishFirst: true);

        // Act
        await views.PublishOrderEvent(request, _ct);
        var first = await _orders.Get<OrderViewStore>().FindAsync(Order, _ct);
        await views.PublishOrderEvent(request, _ct);
        var second = await _orders.Get<OrderViewStore>().FindAsync(Order, _ct);

        // Assert: the view as after one run; the event twice, identical (consumers drop the second by its id).
        Assert.Equivalent(first, second, strict: true);
        Assert.Equal((OrderStatus.Completed, 20m), (second!.Status, second.Total));
        Assert.Equal(["Shipped", "Completed"], second.Steps.Select(s => s.Step));
        var queue = await _orders.Get<OrderEventPublisher>().GetClientAsync(_ct);
        var messages = (await queue.ReceiveMessagesAsync(32, cancellationToken: _ct)).Value.Select(m => m.MessageText).ToList();
        Assert.Equal([JsonSerializer.Serialize(orderEvent, OrderEventPublisher.Json), JsonSerializer.Serialize(orderEvent, OrderEventPublisher.Json)], messages);
    }

    [Fact]
    public async Task RecordOrderProgress_LateDuplicateOfAnEarlierStep_DoesNotMoveTheViewBack()
    {
        // Arrange: a duplicate execution of the "Charging" write (at-least-once delivery) finishes after "Completed".
        var views = _orders.App.CreateFunction<OrderViewActivities>();
        var at = new DateTime(2026, 11, 27, 4, 0, 0, DateTimeKind.Utc);
        var charging = new RecordProgressRequest(Order, OrderStatus.Charging, "Charging", at, Sequence: 4);
        var completed = new RecordProgressRequest(Order, OrderStatus.Completed, "Completed", at.AddSeconds(1), Sequence: 5);

        // Act
        await views.RecordOrderProgress([charging], _ct);
        await views.RecordOrderProgress([completed], _ct);
        await views.RecordOrderProgress([charging], _ct);

        // Assert
        var view = await _orders.Get<OrderViewStore>().FindAsync(Order, _ct);
        Assert.Equal(OrderStatus.Completed, view!.Status);
        Assert.Equal(["Charging", "Completed"], view.Steps.Select(s => s.Step));
        Assert.Equal(at.AddSeconds(1), view.UpdatedAt);
    }
}
