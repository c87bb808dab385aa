using Azure.Core;
using Workflows.Orders;
using Workflows.Tests.Orders;
using Workflows.Tests.TestSupport;

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

    [Theory]
    [InlineData("tok_approve", OrderStatus.Completed, OrderEventType.OrderCompleted)]
    [InlineData("tok_decline", OrderStatus.Failed, OrderEventType.OrderFailed)]
    public async Task OrdersFinished_FinalViewWriteLandsButItsAnswerIsLost_CountsTheOrderOnce(string token, OrderStatus status, OrderEventType type)
    {
        // Arrange: the write that makes the view final reaches storage, then its answer is lost (a timeout), so the
        // SDK's retry of it meets the row it wrote itself (412).
        using var finished = new MeasurementCapture("workflows.orders.finished");
        var fault = new StorageFault();
        await using var orders = await OrdersTestApp.StartAsync(services: fault.InjectIntoAppStorage);
        await orders.SeedAsync("MT", 10m, ("ams", 5));
        fault.FailNext(request => request.Method == RequestMethod.Put && request.Uri.Path.Contains("Views(", StringComparison.Ordinal)
            && Writes(request, $"\"Status\":\"{status}\""), 408);

        // Act
        var outcome = await orders.RunOrderAsync(OrderBody.Of(("MT", 1)).PaidWith(token));

        // Assert
        Assert.Equal(status, outcome.Status);
        Assert.Equal(1, fault.Injected);
        Assert.Equal(1, finished.Count(("outcome", type.ToString())));
    }

    [Fact]
    public async Task OrdersFinished_FinalPublishFailsAfterItsRetries_CountsTheOrderOnce()
    {
        // Arrange: the events queue is down for good, so the declined order's final publish fails after its retries,
        // once its view is already final: the saga then stops again as unexpected (Compensating, then Failed again).
        using var finished = new MeasurementCapture("workflows.orders.finished");
        var outage = new StorageFault();
        await using var orders = await OrdersTestApp.StartAsync(services: outage.InjectIntoAppStorage);
        await orders.SeedAsync("MT", 10m, ("ams", 5));
        outage.FailPathsContaining = "/" + orders.Get<Microsoft.Extensions.Options.IOptions<OrdersOptions>>().Value.EventsQueue + "/";

        // Act
        var id = await orders.StartOrderAsync(OrderBody.Of(("MT", 1)).PaidWith("tok_decline"));
        var done = await orders.App.WaitForCompletionAsync(id, OrdersTestApp.Timeout);

        // Assert: one order, one finished order, whatever the view went through on the way.
        Assert.Equal(Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(OrderStatus.Failed, (await orders.Get<Workflows.Orders.Storage.OrderViewStore>().FindAsync(id, CancellationToken.None))!.Status);
        Assert.Equal(1, finished.Count());
    }

    private static bool Writes(Request request, string text)
    {
        using var body = new MemoryStream();
        request.Content?.WriteTo(body, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(body.ToArray()).Contains(text, StringComparison.Ordinal);
    }
}
