using Workflows.Orders;
using Workflows.Orders.Http;
using Workflows.Orders.Storage;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Orders;

/// <summary>The README "Orders" walk-through, request by request, through the HTTP functions.</summary>
public sealed class ReadmeWalkThroughTests
{
    private static readonly ShippingAddressBody Address = new("Ada Lovelace", "1 Analytical Way", null, "London", "N1 9GU", "GB");

    [Fact]
    public async Task ReadmeWalkThrough_DemoDataThenOrders_AnswersAsDocumented()
    {
        // Arrange
        await using var orders = await OrdersTestApp.StartAsync();
        var seed = TestHttp.Request("POST", "/api/orders/demo-data");

        // Act + Assert, step by step
        Assert.Equal(200, (await (await orders.App.CreateFunction<DemoDataHttp>().SeedOrderDemoData(seed)).ExecuteAsync(seed)).StatusCode);

        var small = new OrderBody(null, [new OrderLineBody("KB-100", 1), new OrderLineBody("MN-270", 2)], Address, "tok_approve");
        Assert.Equal(202, (await orders.PostOrderAsync(small, "demo-1")).StatusCode);
        Assert.Equal(OrderStatus.Completed, (await orders.WaitAsync("demo-1")).Status);
        var view = (await orders.GetOrderAsync("demo-1")).Json<OrderResource>()!;
        Assert.Equal(747.90m, view.Total);
        Assert.Equal(200, (await orders.PostOrderAsync(small, "demo-1")).StatusCode);
        Assert.Equal(409, (await orders.PostOrderAsync(small with { PaymentToken = "tok_visa" }, "demo-1")).StatusCode);

        var large = new OrderBody("demo-2", [new OrderLineBody("MN-270", 4)], Address, "tok_transient_2");
        Assert.Equal(202, (await orders.PostOrderAsync(large)).StatusCode);
        await orders.WaitForStatusAsync("demo-2", OrderStatus.AwaitingApproval);
        Assert.Equal(202, (await orders.CommandAsync("demo-2", "approve", new { approved = true })).StatusCode);
        Assert.Equal(OrderStatus.Completed, (await orders.WaitAsync("demo-2")).Status);
        var shipments = await orders.Get<ShipmentStore>().ListAsync("demo-2", CancellationToken.None);
        Assert.Equal(2, shipments.Count);

        var invalid = await orders.PostOrderAsync(new OrderBody(null, [new OrderLineBody("NOPE", 0)], null, null));
        Assert.Equal(400, invalid.StatusCode);
        Assert.Equal(409, (await orders.CommandAsync("demo-1", "cancel")).StatusCode);
    }
}
