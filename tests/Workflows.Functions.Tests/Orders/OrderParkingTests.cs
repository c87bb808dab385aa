using Workflows.Orders;
using Workflows.Orders.Http;
using Workflows.Orders.Shipping;
using Workflows.Orders.Storage;
using Workflows.Tests.TestSupport;
using static Workflows.Tests.Orders.OrderFulfilmentTests;

namespace Workflows.Tests.Orders;

/// <summary>Orders parked for an operator: completion after the point of no return, and retry requests that race.</summary>
public sealed class OrderParkingTests
{
    [Fact]
    public async Task OrderFulfilment_CommitStockFailsAfterShipping_ParksWithoutUndoingAnythingThenResumesToCompleted()
    {
        // Arrange: once the shipment is booked, the stock table is down; CommitStock fails all its attempts.
        var outage = new StorageFault();
        var carrier = new BookingsCarrier { AfterBooking = () => outage.FailPathsContaining = "Stock" };
        await using var orders = await OrdersTestApp.StartAsync(services: s =>
        {
            s.AddFake(carrier);
            OrdersTestApp.UseFaultyTables(s, outage);
        });
        await orders.SeedAsync("KB", 10.00m, ("ams", 5));
        var id = await orders.StartOrderAsync(OrderBody.Of(("KB", 2)));

        // Act 1
        var parked = await orders.WaitForStatusAsync(id, OrderStatus.CompletionFailed);
        outage.FailPathsContaining = null;

        // Assert 1: the goods are booked to leave, so nothing was compensated: no refund, no cancellation, no release.
        Assert.Empty(parked.CompensationsRun);
        Assert.Single(carrier.LiveBookings);
        Assert.Equal(0, carrier.Cancels);
        Assert.DoesNotContain(await orders.Get<PaymentLedger>().ListAsync(id, CancellationToken.None), e => e.Kind == PaymentLedger.Refund);
        Assert.Equal((3, 2), Counts(await orders.StockAsync("KB", "ams")));
        Assert.Equal(409, (await orders.CommandAsync(id, "compensate")).StatusCode);

        // Act 2: the outage is over; an operator resumes the order.
        var resume = await orders.CommandAsync(id, "resume");
        var outcome = await orders.WaitAsync(id);

        // Assert 2: the stock is committed and the order completes, charged once and shipped.
        Assert.Equal(202, resume.StatusCode);
        Assert.Equal(OrderStatus.Completed, outcome.Status);
        Assert.Equal((3, 0), Counts(await orders.StockAsync("KB", "ams")));
        var view = (await orders.GetOrderAsync(id)).Json<OrderResource>()!;
        Assert.Equal(OrderStatus.Completed, view.Status);
        Assert.Empty(view.CompensationsRun);
        Assert.Equal(["CompletionFailed", "RetryCompletion by admin-key", "Completed"], view.Steps.Select(s => s.Step).TakeLast(3));
        Assert.Single(await orders.Get<PaymentLedger>().ListAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task CompensateOrder_TwoRequestsPassTheCheckTogether_OneRoundRunsAndTheOrderWaitsForTheNextRequest()
    {
        // Arrange: shipping is refused and the refund API is down: the order parks in CompensationFailed.
        var gateway = new GatewayWithRefundOutage { RefundsFail = true };
        await using var orders = await OrdersTestApp.StartAsync(services: s => s.AddFake(gateway));
        await orders.SeedAsync("KB", 10.00m, ("ams", 5));
        var id = await orders.StartOrderAsync(OrderBody.Of(("KB", 1)).ShippedTo(LocalCarrier.UndeliverablePostalCode));
        await orders.WaitForStatusAsync(id, OrderStatus.CompensationFailed);

        // Act 1: a double click: two requests are accepted before the saga moves; the round they start fails again.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gateway.BeforeRefund = () => release.Task; // the round waits until both requests are in
        var first = await orders.CommandAsync(id, "compensate");
        await orders.Client.RaiseEventAsync(id, OrderEvents.RetryCompensation, new OperatorRequest("second click"));
        release.SetResult();
        await orders.WaitForViewAsync(id, v => v.Status == OrderStatus.CompensationFailed && v.Steps.Count(s => s.Step == "CompensationFailed") == 2);

        // Act 2: the refund API is back; the operator asks once more.
        gateway.RefundsFail = false;
        var next = await orders.CommandAsync(id, "compensate");
        var outcome = await orders.WaitAsync(id);

        // Assert: the second click started no round of its own: 3 attempts, 3 in the one round, 1 after the next request.
        Assert.Equal((202, 202), (first.StatusCode, next.StatusCode));
        Assert.Equal(OrderStatus.Failed, outcome.Status);
        Assert.Equal(7, gateway.RefundAttempts);
        var view = (await orders.GetOrderAsync(id)).Json<OrderResource>()!;
        Assert.Equal(2, view.Steps.Count(s => s.Step == "RetryCompensation by admin-key"));
    }
}
