using System.Text.Json;
using Workflows.Orders;
using Workflows.Orders.Storage;

namespace Workflows.Tests.Orders;

public sealed class SalesViewTests
{
    [Fact]
    public async Task SalesView_CompletedOrdersWithRedeliveredEvents_CountsEachOrderOnce()
    {
        // Arrange: two completed orders and one declined.
        await using var orders = await OrdersTestApp.StartAsync();
        await orders.SeedAsync("KB", 10.00m, ("ams", 10));
        await orders.SeedAsync("MS", 5.00m, ("ams", 10));
        await orders.RunOrderAsync(OrderBody.Of(("KB", 2), ("MS", 1)));
        await orders.RunOrderAsync(OrderBody.Of(("KB", 3)));
        await orders.RunOrderAsync(OrderBody.Of(("MS", 4)).PaidWith("tok_decline"));
        var queue = await orders.Get<OrderEventPublisher>().GetClientAsync(CancellationToken.None);
        var messages = (await queue.ReceiveMessagesAsync(32)).Value;
        var function = orders.App.CreateFunction<SalesViewFunction>();

        // Act: every message is delivered twice (at-least-once queue semantics).
        foreach (var message in messages.Concat(messages))
        {
            await function.UpdateSalesView(message.MessageText, CancellationToken.None);
        }

        // Assert
        var events = messages.Select(m => JsonSerializer.Deserialize<OrderEvent>(m.MessageText, OrderEventPublisher.Json)!).ToList();
        Assert.Equal(2, events.Count(e => e.Type == OrderEventType.OrderCompleted));
        Assert.Single(events, e => e.Type == OrderEventType.OrderFailed);
        var sales = orders.Get<SalesViewStore>();
        Assert.Equal(new SkuSales("KB", 5, 50.00m, 2), await sales.FindAsync("KB", CancellationToken.None));
        Assert.Equal(new SkuSales("MS", 1, 5.00m, 1), await sales.FindAsync("MS", CancellationToken.None));
    }
}
