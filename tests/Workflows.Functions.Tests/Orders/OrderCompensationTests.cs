using Microsoft.DurableTask.Client;
using Workflows.Orders;
using Workflows.Orders.Http;
using Workflows.Orders.Shipping;
using Workflows.Orders.Storage;
using Workflows.Tests.TestSupport;
using static Workflows.Tests.Orders.OrderFulfilmentTests;

namespace Workflows.Tests.Orders;

/// <summary>Failures after payment: shipment rejected or half-done, and a compensation that keeps failing until an operator retries.</summary>
public sealed class OrderCompensationTests
{
    [Fact]
    public async Task OrderFulfilment_ShipmentFails_CancelsShipmentsRefundsAndReleases()
    {
        // Arrange: two warehouses ship, the carrier refuses "fra".
        var carrier = new CarrierRejectingWarehouse("fra");
        await using var orders = await OrdersTestApp.StartAsync(services: s => s.AddFake(carrier));
        await orders.SeedAsync("KB", 10.00m, ("ams", 5));
        await orders.SeedAsync("MN", 100.00m, ("fra", 5));

        // Act
        var outcome = await orders.RunOrderAsync(OrderBody.Of(("KB", 1), ("MN", 1)));

        // Assert: every started booking is cancelled (the refused one's cancel finds nothing to undo).
        Assert.Equal(OrderStatus.Failed, outcome.Status);
        Assert.Equal("shipment_rejected: fra: no carrier capacity", outcome.Reason);
        var shipments = await orders.Get<ShipmentStore>().ListAsync(outcome.OrderId, CancellationToken.None);
        Assert.All(shipments, s => Assert.Equal(ShipmentStore.Cancelled, s.Status));
        Assert.Equal(2, carrier.Cancels);
        var ledger = await orders.Get<PaymentLedger>().ListAsync(outcome.OrderId, CancellationToken.None);
        Assert.Equal(110.00m, ledger.Single(e => e.Kind == PaymentLedger.Charge).Amount);
        Assert.Equal(110.00m, ledger.Single(e => e.Kind == PaymentLedger.Refund).Amount);
        Assert.Equal((5, 0), Counts(await orders.StockAsync("KB", "ams")));
        Assert.Equal((5, 0), Counts(await orders.StockAsync("MN", "fra")));
        var view = (await orders.GetOrderAsync(outcome.OrderId)).Json<OrderResource>()!;
        Assert.Equal(["CancelShipment", "CancelShipment", "RefundPayment", "ReleaseStock", "ReleaseStock"], view.CompensationsRun);
    }

    [Fact]
    public async Task OrderFulfilment_ShipmentBookedThenItsRecordFailsEveryRetry_BookingCancelledOnce()
    {
        // Arrange: the carrier books, then the shipments table is down until the saga cancels the booking.
        var outage = new StorageFault();
        var carrier = new BookingsCarrier
        {
            AfterBooking = () => outage.FailPathsContaining = "Shipments",
        };
        carrier.OnCancel = () => outage.FailPathsContaining = null;
        await using var orders = await OrdersTestApp.StartAsync(services: s =>
        {
            s.AddFake(carrier);
            OrdersTestApp.UseFaultyTables(s, outage);
        });
        await orders.SeedAsync("KB", 10.00m, ("ams", 5));
        var id = await orders.StartOrderAsync(OrderBody.Of(("KB", 1)));

        // Act
        var done = await orders.App.WaitForCompletionAsync(id, OrdersTestApp.Timeout);

        // Assert: CreateShipment failed (an error, so the instance fails too), yet its booking did not outlive the saga.
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Empty(carrier.LiveBookings);
        Assert.Equal(1, carrier.Cancels);
        var ledger = await orders.Get<PaymentLedger>().ListAsync(id, CancellationToken.None);
        Assert.Equal(ledger.Single(e => e.Kind == PaymentLedger.Charge).Amount, ledger.Single(e => e.Kind == PaymentLedger.Refund).Amount);
        Assert.Equal((5, 0), Counts(await orders.StockAsync("KB", "ams")));
    }

    [Fact]
    public async Task OrderFulfilment_CompensationKeepsFailing_EndsCompensationFailedThenCompensateSucceeds()
    {
        // Arrange: shipping is refused (undeliverable) while the refund API is down.
        var gateway = new GatewayWithRefundOutage { RefundsFail = true };
        await using var orders = await OrdersTestApp.StartAsync(services: s => s.AddFake(gateway));
        await orders.SeedAsync("KB", 10.00m, ("ams", 5));
        var id = await orders.StartOrderAsync(OrderBody.Of(("KB", 2)).ShippedTo(LocalCarrier.UndeliverablePostalCode));

        // Act 1: every attempt of the refund fails.
        var stuck = await orders.WaitForStatusAsync(id, OrderStatus.CompensationFailed);

        // Assert 1: what failed is recorded; the stock release (independent) still ran; /compensate is accepted now.
        var outstanding = Assert.Single(stuck.OutstandingCompensations);
        Assert.Equal("RefundPayment", outstanding.ActivityName);
        Assert.Contains("refund API unavailable", outstanding.Message, StringComparison.Ordinal);
        Assert.Equal(["CancelShipment", "ReleaseStock"], stuck.CompensationsRun);
        Assert.Equal((5, 0), Counts(await orders.StockAsync("KB", "ams")));
        Assert.Equal(3, gateway.RefundAttempts);
        var customerView = (await orders.GetOrderAsync(id)).Json<OrderResource>()!;
        Assert.Equal(["RefundPayment"], customerView.OutstandingCompensations);
        Assert.DoesNotContain("refund API unavailable", (await orders.GetOrderAsync(id)).Text, StringComparison.Ordinal);

        // Act 2: the outage ends; an operator retries.
        gateway.RefundsFail = false;
        var retry = await orders.CommandAsync(id, "compensate");
        var outcome = await orders.WaitAsync(id);

        // Assert 2: only the outstanding refund ran again; the order ends Failed with a balanced ledger.
        Assert.Equal(202, retry.StatusCode);
        Assert.Equal(OrderStatus.Failed, outcome.Status);
        Assert.Equal(4, gateway.RefundAttempts);
        var ledger = await orders.Get<PaymentLedger>().ListAsync(id, CancellationToken.None);
        Assert.Equal(ledger.Single(e => e.Kind == PaymentLedger.Charge).Amount, ledger.Single(e => e.Kind == PaymentLedger.Refund).Amount);
        var view = (await orders.GetOrderAsync(id)).Json<OrderResource>()!;
        Assert.Equal(OrderStatus.Failed, view.Status);
        Assert.Empty(view.OutstandingCompensations);
        Assert.Equal(["CancelShipment", "ReleaseStock", "RefundPayment"], view.CompensationsRun);
        Assert.Contains(view.Steps, s => s.Step == "RetryCompensation by admin-key");
        Assert.Equal(409, (await orders.CommandAsync(id, "compensate")).StatusCode);
    }

    [Fact]
    public async Task OrderFulfilment_ViewUnwritableWhenCompensating_StillReleasesStockThenParksUntilResumed()
    {
        // Arrange: the card is declined, and from that moment the order view table is unavailable.
        var outage = new StorageFault();
        var gateway = new GatewayDecliningAfter(() => outage.FailPathsContaining = "Views");
        await using var orders = await OrdersTestApp.StartAsync(services: s =>
        {
            s.AddFake(gateway);
            OrdersTestApp.UseFaultyTables(s, outage);
        });
        await orders.SeedAsync("KB", 10.00m, ("ams", 5));
        var id = await orders.StartOrderAsync(OrderBody.Of(("KB", 1)));

        // Act 1
        var parked = await orders.ParkedOrEndedAsync(id);

        // Assert 1: the view could not say so, but the reservation was released; the final write (with the event)
        // still fails, so the decided order parks for an operator rather than stopping again.
        Assert.Equal((OrchestrationRuntimeStatus.Running, OrderStatus.CompletionFailed), parked);
        Assert.Equal((5, 0), Counts(await orders.StockAsync("KB", "ams")));

        // Act 2: the view table is back; an operator resumes the order.
        outage.FailPathsContaining = null;
        var resume = await orders.CommandAsync(id, "resume");
        var outcome = await orders.WaitAsync(id);

        // Assert 2: the decline is the outcome, in the view too.
        Assert.Equal(202, resume.StatusCode);
        Assert.Equal((OrderStatus.Failed, "payment_declined: card_declined"), (outcome.Status, outcome.Reason));
        var view = (await orders.Get<OrderViewStore>().FindAsync(id, CancellationToken.None))!;
        Assert.Equal((OrderStatus.Failed, "payment_declined: card_declined"), (view.Status, view.FailureReason));
    }
}
