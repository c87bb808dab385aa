using Workflows.Orders;
using Workflows.Orders.Http;
using Workflows.Orders.Storage;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Orders;

/// <summary>The saga end to end through <c>POST /api/orders</c>: the in-memory engine, real Tables and Queues on Azurite.</summary>
public sealed class OrderFulfilmentTests
{
    [Fact]
    public async Task OrderFulfilment_HappyPath_ChargesShipsPerWarehouseAndCommitsStock()
    {
        // Arrange
        await using var orders = await OrdersTestApp.StartAsync();
        await orders.SeedAsync("KB", 10.00m, ("ams", 5));
        await orders.SeedAsync("MN", 100.00m, ("ams", 2), ("fra", 2)); // 3 units: split across both warehouses

        // Act
        var outcome = await orders.RunOrderAsync(OrderBody.Of(("KB", 2), ("MN", 3)));

        // Assert
        Assert.Equal(OrderStatus.Completed, outcome.Status);
        Assert.Equal(320.00m, outcome.Total);
        Assert.Equal((3, 0), Counts(await orders.StockAsync("KB", "ams")));
        Assert.Equal(1, (await orders.StockAsync("MN", "ams")).Available + (await orders.StockAsync("MN", "fra")).Available);
        Assert.Equal(0, (await orders.StockAsync("MN", "ams")).Reserved + (await orders.StockAsync("MN", "fra")).Reserved);
        var ledger = await orders.Get<PaymentLedger>().ListAsync(outcome.OrderId, CancellationToken.None);
        Assert.Equal(320.00m, Assert.Single(ledger, e => e.Kind == PaymentLedger.Charge).Amount);
        Assert.DoesNotContain(ledger, e => e.Kind == PaymentLedger.Refund);
        var shipments = await orders.Get<ShipmentStore>().ListAsync(outcome.OrderId, CancellationToken.None);
        Assert.Equal(["ams", "fra"], shipments.Select(s => s.Warehouse).Order());
        Assert.All(shipments, s => Assert.Equal(ShipmentStore.Created, s.Status));

        var view = (await orders.GetOrderAsync(outcome.OrderId)).Json<OrderResource>()!;
        Assert.Equal(OrderStatus.Completed, view.Status);
        Assert.Equal("Completed", view.RuntimeStatus);
        Assert.Equal(320.00m, view.Total);
        Assert.Equal(["Received", "Priced", "Reserved", "Charging", "Charged", "Shipping", "Shipped", "Completed"], view.Steps.Select(s => s.Step));
        Assert.Empty(view.CompensationsRun);
    }

    [Fact]
    public async Task OrderFulfilment_OneLineOutOfStock_ReleasesOtherLinesAndChargesNothing()
    {
        // Arrange
        await using var orders = await OrdersTestApp.StartAsync();
        await orders.SeedAsync("KB", 10.00m, ("ams", 5));
        await orders.SeedAsync("MS", 5.00m, ("ams", 5));
        await orders.SeedAsync("MN", 100.00m, ("ams", 1), ("fra", 1));

        // Act
        var outcome = await orders.RunOrderAsync(OrderBody.Of(("KB", 2), ("MS", 1), ("MN", 3)));

        // Assert
        Assert.Equal(OrderStatus.Failed, outcome.Status);
        Assert.StartsWith("out_of_stock: MN", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal((5, 0), Counts(await orders.StockAsync("KB", "ams")));
        Assert.Equal((5, 0), Counts(await orders.StockAsync("MS", "ams")));
        Assert.Equal((1, 0), Counts(await orders.StockAsync("MN", "fra")));
        Assert.Empty(await orders.Get<PaymentLedger>().ListAsync(outcome.OrderId, CancellationToken.None));
        var view = (await orders.GetOrderAsync(outcome.OrderId)).Json<OrderResource>()!;
        Assert.Equal(OrderStatus.Failed, view.Status);
        Assert.Equal(["ReleaseStock", "ReleaseStock", "ReleaseStock"], view.CompensationsRun); // every started line, MN's a no-op
    }

    [Theory]
    [InlineData("tok_decline", "payment_declined: card_declined")]
    [InlineData("tok_insufficient_funds", "payment_declined: insufficient_funds")]
    public async Task OrderFulfilment_PaymentDeclined_ReleasesEveryReservation(string token, string reason)
    {
        // Arrange
        await using var orders = await OrdersTestApp.StartAsync();
        await orders.SeedAsync("KB", 10.00m, ("ams", 5));
        await orders.SeedAsync("MN", 100.00m, ("ams", 1), ("fra", 1));

        // Act
        var outcome = await orders.RunOrderAsync(OrderBody.Of(("KB", 2), ("MN", 2)).PaidWith(token));

        // Assert
        Assert.Equal(OrderStatus.Failed, outcome.Status);
        Assert.Equal(reason, outcome.Reason);
        Assert.Equal((5, 0), Counts(await orders.StockAsync("KB", "ams")));
        Assert.Equal((1, 0), Counts(await orders.StockAsync("MN", "ams")));
        Assert.Equal((1, 0), Counts(await orders.StockAsync("MN", "fra")));
        Assert.Empty(await orders.Get<PaymentLedger>().ListAsync(outcome.OrderId, CancellationToken.None));
        Assert.Empty(await orders.Get<ShipmentStore>().ListAsync(outcome.OrderId, CancellationToken.None));
    }

    [Fact]
    public async Task OrderFulfilment_TransientPaymentFailures_RetriesThenCompletes()
    {
        // Arrange: the gateway is unavailable twice, the payment retry allows three attempts.
        await using var orders = await OrdersTestApp.StartAsync();
        await orders.SeedAsync("KB", 10.00m, ("ams", 5));

        // Act
        var outcome = await orders.RunOrderAsync(OrderBody.Of(("KB", 1)).PaidWith("tok_transient_2"));

        // Assert
        Assert.Equal(OrderStatus.Completed, outcome.Status);
        var charge = Assert.Single(await orders.Get<PaymentLedger>().ListAsync(outcome.OrderId, CancellationToken.None));
        Assert.Equal(10.00m, charge.Amount);
    }

    [Fact]
    public async Task OrderFulfilment_PaymentGatewayStaysDown_ReleasesStockAndFailsInstance()
    {
        // Arrange
        await using var orders = await OrdersTestApp.StartAsync();
        await orders.SeedAsync("KB", 10.00m, ("ams", 5));

        // Act
        var id = await orders.StartOrderAsync(OrderBody.Of(("KB", 1)).PaidWith("tok_unavailable"));
        var done = await orders.App.WaitForCompletionAsync(id, OrdersTestApp.Timeout);

        // Assert: an unexpected failure still compensates, then the instance itself is Failed. The customer sees a stable
        // code; the error itself is for operators (the instance's failure on the admin status endpoint).
        Assert.Equal(Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal((5, 0), Counts(await orders.StockAsync("KB", "ams")));
        var response = await orders.GetOrderAsync(id);
        var view = response.Json<OrderResource>()!;
        Assert.Equal(OrderStatus.Failed, view.Status);
        Assert.Equal(OrderRejections.ProcessingError, view.FailureReason);
        Assert.DoesNotContain("gateway unavailable", response.Text, StringComparison.Ordinal);
        Assert.Contains("gateway unavailable", done.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrderFulfilment_ProductGoneBeforePricing_ViewAndListShowItFailedWithTheReason()
    {
        // Arrange: an order for a SKU the catalogue no longer has (taken off between the POST's check and pricing):
        // pricing, which writes no view, rejects it before any reservation.
        await using var orders = await OrdersTestApp.StartAsync();
        var id = $"order-{Guid.NewGuid():N}";
        var order = OrchestrationContextFake.Order() with { OrderId = id, Lines = [new OrderLine("GONE-SKU", 1)] };

        // Act
        await orders.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(OrderFulfilmentOrchestrator), order, new Microsoft.DurableTask.StartOrchestrationOptions(id));
        var outcome = await orders.WaitAsync(id);

        // Assert: the view and the list still show the order, Failed with its reason, from Received on.
        Assert.Equal((OrderStatus.Failed, OrderRejections.UnknownProduct("GONE-SKU")), (outcome.Status, outcome.Reason));
        var view = (await orders.GetOrderAsync(id)).Json<OrderResource>()!;
        Assert.Equal((OrderStatus.Failed, OrderRejections.UnknownProduct("GONE-SKU")), (view.Status, view.FailureReason));
        Assert.Equal(["Received", "Compensating", "Failed"], view.Steps.Select(s => s.Step));
        var listed = (await orders.ListOrdersAsync("?status=Failed")).Items.Single(o => o.Id == id);
        Assert.Equal(OrderStatus.Failed, listed.Status);
    }

    internal static (int Available, int Reserved) Counts(StockEntity stock) => (stock.Available, stock.Reserved);
}
