using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Workflows.Orders;
using Workflows.Orders.Storage;
using Workflows.Tests.TestSupport;
using static Workflows.Tests.Orders.OrderFulfilmentTests;

namespace Workflows.Tests.Orders;

/// <summary>
/// A Failed or Cancelled order whose event cannot be published (the events queue is down): its outcome is decided and
/// compensated, so it parks in CompletionFailed keeping that outcome and reason, and publishes the same event once an
/// operator resumes it after the outage.
/// </summary>
public sealed class OrderParkingFinalEventTests
{
    [Fact]
    public async Task OrderFulfilment_CancelledOrderWhoseEventCannotBePublished_StaysCancelledAndPublishesOrderCancelledOnceStorageIsBack()
    {
        // Arrange: a large order waits for approval; the events queue goes down; the customer cancels.
        var outage = new StorageFault();
        await using var orders = await OrdersTestApp.StartAsync(services: outage.InjectIntoAppStorage);
        await orders.SeedAsync("MN", 600.00m, ("ams", 5));
        var id = await orders.StartOrderAsync(OrderBody.Of(("MN", 2)));
        await orders.WaitForStatusAsync(id, OrderStatus.AwaitingApproval);
        outage.FailPathsContaining = EventsQueuePath(orders);

        // Act 1
        Assert.Equal(202, (await orders.CommandAsync(id, "cancel")).StatusCode);
        var parked = await orders.ParkedOrEndedAsync(id);

        // Assert 1: parked for an operator, the view still Cancelled for the customer's reason, compensated once.
        Assert.Equal((OrchestrationRuntimeStatus.Running, OrderStatus.CompletionFailed), parked);
        var view = await orders.WaitForViewAsync(id, v => v.Steps.Any(s => s.Step == "CompletionFailed"));
        Assert.Equal((OrderStatus.Cancelled, "cancelled_by_customer"), (view.Status, view.FailureReason));
        Assert.Equal(["ReleaseStock"], view.CompensationsRun);

        // Act 2: the queue is back; an operator resumes the order.
        outage.FailPathsContaining = null;
        var resume = await orders.CommandAsync(id, "resume");
        var outcome = await orders.WaitAsync(id);

        // Assert 2: the same outcome, one OrderCancelled event with the customer's reason, the stock given back once.
        Assert.Equal(202, resume.StatusCode);
        Assert.Equal((OrderStatus.Cancelled, "cancelled_by_customer"), (outcome.Status, outcome.Reason));
        view = (await orders.Get<OrderViewStore>().FindAsync(id, CancellationToken.None))!;
        Assert.Equal((OrderStatus.Cancelled, "cancelled_by_customer"), (view.Status, view.FailureReason));
        Assert.Equal(["ReleaseStock"], view.CompensationsRun);
        Assert.Equal(["CompletionFailed", "RetryCompletion by admin-key", "Cancelled"], view.Steps.Select(s => s.Step).TakeLast(3));
        Assert.Equal([(OrderEventType.OrderCancelled, "cancelled_by_customer")], (await orders.ReceiveEventsAsync()).Select(e => (e.Type, e.Reason)));
        Assert.Equal((5, 0), Counts(await orders.StockAsync("MN", "ams")));
    }

    [Fact]
    public async Task OrderFulfilment_DeclinedCardWhoseEventCannotBePublished_StaysFailedWithItsReasonAndPublishesOrderFailedOnceStorageIsBack()
    {
        // Arrange: the events queue is down from the start; the card is declined.
        var outage = new StorageFault();
        await using var orders = await OrdersTestApp.StartAsync(services: outage.InjectIntoAppStorage);
        await orders.SeedAsync("KB", 10.00m, ("ams", 5));
        outage.FailPathsContaining = EventsQueuePath(orders);

        // Act 1
        var id = await orders.StartOrderAsync(OrderBody.Of(("KB", 2)).PaidWith("tok_decline"));
        var parked = await orders.ParkedOrEndedAsync(id);

        // Assert 1: parked, not stopped a second time: the view keeps Failed and the decline, released once.
        Assert.Equal((OrchestrationRuntimeStatus.Running, OrderStatus.CompletionFailed), parked);
        var view = await orders.WaitForViewAsync(id, v => v.Steps.Any(s => s.Step == "CompletionFailed"));
        Assert.Equal((OrderStatus.Failed, "payment_declined: card_declined"), (view.Status, view.FailureReason));
        Assert.Equal(["RefundPayment", "ReleaseStock"], view.CompensationsRun); // the refund of a charge that never happened does nothing
        Assert.Equal(1, view.Steps.Count(s => s.Step == "Compensating"));

        // Act 2
        outage.FailPathsContaining = null;
        var resume = await orders.CommandAsync(id, "resume");
        var outcome = await orders.WaitAsync(id);

        // Assert 2: one OrderFailed event carrying the decline (not processing_error); the instance completes normally.
        Assert.Equal(202, resume.StatusCode);
        Assert.Equal((OrderStatus.Failed, "payment_declined: card_declined"), (outcome.Status, outcome.Reason));
        view = (await orders.Get<OrderViewStore>().FindAsync(id, CancellationToken.None))!;
        Assert.Equal((OrderStatus.Failed, "payment_declined: card_declined"), (view.Status, view.FailureReason));
        Assert.Equal(["RefundPayment", "ReleaseStock"], view.CompensationsRun);
        Assert.Equal(1, view.Steps.Count(s => s.Step == "Compensating"));
        Assert.Equal([(OrderEventType.OrderFailed, "payment_declined: card_declined")], (await orders.ReceiveEventsAsync()).Select(e => (e.Type, e.Reason)));
        Assert.Equal((5, 0), Counts(await orders.StockAsync("KB", "ams")));
    }

    [Fact]
    public async Task ListOrders_DeclinedOrderParkedForItsEvent_IsListedAsCompletionFailedUntilResumed()
    {
        // Arrange: the events queue is down; a declined order parks, its view still Failed.
        var outage = new StorageFault();
        await using var orders = await OrdersTestApp.StartAsync(services: outage.InjectIntoAppStorage);
        await orders.SeedAsync("KB", 10.00m, ("ams", 5));
        outage.FailPathsContaining = EventsQueuePath(orders);
        var id = await orders.StartOrderAsync(OrderBody.Of(("KB", 1)).PaidWith("tok_decline"));
        Assert.Equal((OrchestrationRuntimeStatus.Running, OrderStatus.CompletionFailed), await orders.ParkedOrEndedAsync(id));
        await orders.WaitForViewAsync(id, v => v.Steps.Any(s => s.Step == "CompletionFailed"));

        // Act 1: an operator looks for the orders waiting in CompletionFailed.
        var parked = await orders.ListOrdersAsync("?status=CompletionFailed");

        // Assert 1: there it is, still Failed and parked in CompletionFailed (and still under Failed too).
        Assert.Equal([(id, OrderStatus.Failed, OrderStatus.CompletionFailed)], parked.Items.Select(o => (o.Id, o.Status, o.ParkedIn)));
        Assert.Equal([id], (await orders.ListOrdersAsync("?status=Failed")).Items.Select(o => o.Id));

        // Act 2: the queue is back; the operator resumes it and its event is published.
        outage.FailPathsContaining = null;
        Assert.Equal(202, (await orders.CommandAsync(id, "resume")).StatusCode);
        await orders.WaitAsync(id);

        // Assert 2: nothing waits any more; the order is listed as Failed.
        Assert.Empty((await orders.ListOrdersAsync("?status=CompletionFailed")).Items);
        Assert.Equal([(id, OrderStatus.Failed, (OrderStatus?)null)], (await orders.ListOrdersAsync("?status=Failed")).Items.Select(o => (o.Id, o.Status, o.ParkedIn)));
    }

    private static string EventsQueuePath(OrdersTestApp orders) => "/" + orders.Get<IOptions<OrdersOptions>>().Value.EventsQueue + "/";
}
