using Workflows.Orders;
using Workflows.Tests.Orders;

namespace Workflows.Tests.Observability;

/// <summary>What operators count must not grow with at-least-once delivery: one order is one finished order.</summary>
[Collection(nameof(TelemetryRunsAlone))]
public sealed class OrderMetricsTests
{
    [Theory]
    [InlineData("tok_approve", OrderStatus.Completed, OrderEventType.OrderCompleted)]
    [InlineData("tok_decline", OrderStatus.Failed, OrderEventType.OrderFailed)]
    public async Task OrdersFinished_FinalPublishRedelivered_CountsTheOrderOnce(string token, OrderStatus status, OrderEventType type)
    {
        // Arrange: an order runs to its end.
        using var finished = new MeasurementCapture("workflows.orders.finished");
        await using var orders = await OrdersTestApp.StartAsync();
        await orders.SeedAsync("MT", 10m, ("ams", 5));
        var outcome = await orders.RunOrderAsync(OrderBody.Of(("MT", 1)).PaidWith(token));
        Assert.Equal(status, outcome.Status);

        // Act: its final publish runs again (a retry whose first attempt's answer was lost, or a redelivered message).
        var publish = orders.App.CreateFunction<OrderViewActivities>();
        await publish.PublishOrderEvent(
            new OrderEvent($"{outcome.OrderId}:{type}", type, outcome.OrderId, DateTime.UtcNow, "EUR", outcome.Total, [], outcome.Reason), CancellationToken.None);

        // Assert
        Assert.Equal(1, finished.Count(("outcome", type.ToString())));
    }
}
