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

        // Act: its final publish runs again (a retry whose first attempt's answer was lost, or a redelivered message),
        // with the final view write it carries (here under a later sequence, so the view is really written again).
        var publish = orders.App.CreateFunction<OrderViewActivities>();
        await publish.PublishOrderEvent(
            new PublishOrderEventRequest(
                new OrderEvent($"{outcome.OrderId}:{type}", type, outcome.OrderId, DateTime.UtcNow, "EUR", outcome.Total, [], outcome.Reason),
                [new RecordProgressRequest(outcome.OrderId, status, status.ToString(), DateTime.UtcNow, Sequence: 1_000)]),
            CancellationToken.None);

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
    public async Task OrdersFinished_DeclinedOrdersFinalPublishFailsAfterItsRetries_ParksResumesCountsTheOrderOnce()
    {
        // Arrange: the events queue is down, so the declined order's final publish fails after its retries, once its
        // view is already final (Failed goes to the view first): the order parks in CompletionFailed. Then the queue is
        // back and an operator resumes it; the view is written Failed again with the publish.
        using var finished = new MeasurementCapture("workflows.orders.finished");
        var outage = new StorageFault();
        await using var orders = await OrdersTestApp.StartAsync(services: outage.InjectIntoAppStorage);
        await orders.SeedAsync("MT", 10m, ("ams", 5));
        outage.FailPathsContaining = "/" + orders.Get<Microsoft.Extensions.Options.IOptions<OrdersOptions>>().Value.EventsQueue + "/";

        // Act
        var id = await orders.StartOrderAsync(OrderBody.Of(("MT", 1)).PaidWith("tok_decline"));
        var parked = await orders.ParkedOrEndedAsync(id);
        var countedWhileParked = finished.Count();
        outage.FailPathsContaining = null;
        var resume = await orders.CommandAsync(id, "resume");
        var outcome = await orders.WaitAsync(id);

        // Assert: one order, one finished order, counted when its view first became final.
        Assert.Equal((Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Running, OrderStatus.CompletionFailed), parked);
        Assert.Equal(202, resume.StatusCode);
        Assert.Equal(OrderStatus.Failed, outcome.Status);
        Assert.Equal(OrderStatus.Failed, (await orders.Get<Workflows.Orders.Storage.OrderViewStore>().FindAsync(id, CancellationToken.None))!.Status);
        Assert.Equal(1, countedWhileParked);
        Assert.Equal(1, finished.Count(("outcome", nameof(OrderEventType.OrderFailed))));
        Assert.Equal(1, finished.Count());
    }

    [Fact]
    public async Task OrdersFinished_FinalPublishFailsAfterItsRetries_ParksWithoutCompletedResumesPublishesOnceCountsOnce()
    {
        // Arrange: the events queue is down, so the last step fails to publish, every attempt, before it writes the view
        // Completed (the event goes first): the order parks in CompletionFailed. Then the queue is back and an operator resumes it.
        using var finished = new MeasurementCapture("workflows.orders.finished");
        var outage = new StorageFault();
        await using var orders = await OrdersTestApp.StartAsync(services: outage.InjectIntoAppStorage);
        await orders.SeedAsync("MT", 10m, ("ams", 5));
        outage.FailPathsContaining = "/" + orders.Get<Microsoft.Extensions.Options.IOptions<OrdersOptions>>().Value.EventsQueue + "/";

        // Act
        var id = await orders.StartOrderAsync(OrderBody.Of(("MT", 1)));
        var parked = await orders.WaitForStatusAsync(id, OrderStatus.CompletionFailed);
        var countedWhileParked = finished.Count();
        outage.FailPathsContaining = null;
        var resume = await orders.CommandAsync(id, "resume");
        var outcome = await orders.WaitAsync(id);

        // Assert: parked before the view was ever Completed (not counted then); resumed from the publish; the view final
        // once, counted once; one OrderCompleted event on the queue.
        Assert.Equal(["Shipped", "CompletionFailed"], parked.Steps.Select(s => s.Step).TakeLast(2));
        Assert.Equal(0, countedWhileParked);
        Assert.Equal(202, resume.StatusCode);
        Assert.Equal(OrderStatus.Completed, outcome.Status);
        var view = (await orders.Get<Workflows.Orders.Storage.OrderViewStore>().FindAsync(id, CancellationToken.None))!;
        Assert.Equal(OrderStatus.Completed, view.Status);
        Assert.Equal(["CompletionFailed", "RetryCompletion by admin-key", "Completed"], view.Steps.Select(s => s.Step).TakeLast(3));
        var events = await orders.ReceiveEventsAsync();
        Assert.Equal([$"{id}:OrderCompleted"], events.Select(e => e.EventId));
        Assert.Equal(1, finished.Count(("outcome", nameof(OrderEventType.OrderCompleted))));
        Assert.Equal(1, finished.Count());
    }

    private static bool Writes(Request request, string text)
    {
        using var body = new MemoryStream();
        request.Content?.WriteTo(body, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(body.ToArray()).Contains(text, StringComparison.Ordinal);
    }
}
