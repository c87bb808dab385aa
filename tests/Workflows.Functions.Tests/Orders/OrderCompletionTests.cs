using System.Text.Json;
using Microsoft.DurableTask;
using Moq;
using Workflows.Orders;

namespace Workflows.Tests.Orders;

/// <summary>
/// The saga's last step, <c>PublishOrderEvent</c> (Completed: the event, then the view; Failed and Cancelled: the view,
/// then the event), when it fails after its retries and an operator resumes the order later (strict mock of the
/// orchestration context).
/// </summary>
public sealed class OrderCompletionTests
{
    [Fact]
    public async Task Completion_FinalPublishRetriedAfterAResumeLater_PublishesTheSameEventAgain()
    {
        // Arrange: the first publish fails after its retries (its event may be out already: the view write after it
        // failed); the operator resumes the order half an hour later.
        var context = CompletingOrder(failedPublishes: 1, out _);
        var resume = Resumable(context);

        // Act
        var running = OrderFulfilmentOrchestrator.RunAsync(context.Mock.Object, OrchestrationContextFake.Order());
        context.Clock = OrchestrationContextFake.Now.AddMinutes(30);
        resume.SetResult(new OperatorRequest("ops"));
        var outcome = await running;

        // Assert: the event published again is the one published first (a consumer keeping either has the same event).
        Assert.Equal(OrderStatus.Completed, outcome.Status);
        var events = context.Inputs.OfType<PublishOrderEventRequest>().Select(r => JsonSerializer.Serialize(r.Event)).ToList();
        Assert.Equal(2, events.Count);
        Assert.Equal(events[0], events[1]);
    }

    [Fact]
    public async Task Completion_FinalPublishFailsThenSucceedsAfterAResume_StatusSaysCompletedOnlyOnceTheEventIsOut()
    {
        // Arrange
        var context = CompletingOrder(failedPublishes: 1, out var stagesAtPublish);
        var resume = Resumable(context);

        // Act
        var running = OrderFulfilmentOrchestrator.RunAsync(context.Mock.Object, OrchestrationContextFake.Order());
        var stagesWhileParked = context.Stages.ToList();
        resume.SetResult(new OperatorRequest("ops"));
        await running;

        // Assert: while the publish runs (and retries, up to CompletionRetry), the saga's status (what the command
        // endpoints check and operators see) is Completing; Completed comes after the publish succeeded.
        Assert.Equal([OrderStatus.Completing, OrderStatus.Completing], stagesAtPublish);
        Assert.DoesNotContain(OrderStatus.Completed, stagesWhileParked);
        Assert.Equal(OrderStatus.CompletionFailed, stagesWhileParked[^1]);
        Assert.Equal(OrderStatus.Completed, context.Stages[^1]);
    }

    [Fact]
    public async Task Stop_DeclinedOrdersFinalPublishFailsThenResumed_ParksKeepingFailedAndPublishesTheSameOrderFailedWithoutCompensatingAgain()
    {
        // Arrange: the card is declined; the final publish fails after its retries once; the operator resumes later.
        var context = new OrchestrationContextFake();
        context.Returns(nameof(CatalogueActivities.PriceOrder), _ => StepResult.Accepted(OrchestrationContextFake.Priced));
        context.Returns(nameof(StockActivities.ReserveStock), _ => StepResult.Accepted<IReadOnlyList<StockAllocation>>([new("KB", "ams", 2)]));
        context.Returns(nameof(PaymentActivities.ChargePayment), _ => StepResult.Rejected<PaymentReceipt>("payment_declined: card_declined"));
        context.Compensates(nameof(PaymentActivities.RefundPayment));
        context.Compensates(nameof(StockActivities.ReleaseStock));
        var publishes = 0;
        context.Returns(nameof(OrderViewActivities.PublishOrderEvent), input => ++publishes == 1
            ? throw new TaskFailedException(nameof(OrderViewActivities.PublishOrderEvent), 1, new InvalidOperationException("queue unavailable"))
            : ((PublishOrderEventRequest)input!).Event.EventId);
        var resume = Resumable(context);

        // Act
        var running = OrderFulfilmentOrchestrator.RunAsync(context.Mock.Object, OrchestrationContextFake.Order());
        var stagesWhileParked = context.Stages.ToList();
        context.Clock = OrchestrationContextFake.Now.AddMinutes(30);
        resume.SetResult(new OperatorRequest("ops"));
        var outcome = await running;

        // Assert: parked (not stopped again): compensated once, the view Failed from the first write on, and the same
        // OrderFailed event (with the decline) published again.
        Assert.Equal(new OrderOutcome("order-1", OrderStatus.Failed, 20m, "payment_declined: card_declined"), outcome);
        Assert.Equal(
            ["PriceOrder", "ReserveStock", "ChargePayment", "RefundPayment", "ReleaseStock", "PublishOrderEvent", "PublishOrderEvent"],
            context.Calls);
        Assert.Equal(OrderStatus.CompletionFailed, stagesWhileParked[^1]);
        Assert.Equal(OrderStatus.Failed, context.Stages[^1]);
        Assert.All(context.Recorded.SkipWhile(s => s != OrderStatus.Failed), s => Assert.Equal(OrderStatus.Failed, s));
        Assert.Single(context.RecordedSteps, "Compensating");
        var events = context.Inputs.OfType<PublishOrderEventRequest>().Select(r => r.Event).ToList();
        Assert.Equal(JsonSerializer.Serialize(events[0]), JsonSerializer.Serialize(events[1]));
        Assert.Equal((OrderEventType.OrderFailed, "payment_declined: card_declined"), (events[0].Type, events[0].Reason));
    }

    /// <summary>An order that ships everything and commits its stock; its final publish fails (after its retries) <paramref name="failedPublishes"/> times.</summary>
    private static OrchestrationContextFake CompletingOrder(int failedPublishes, out List<OrderStatus> stagesAtPublish)
    {
        var context = new OrchestrationContextFake();
        context.ShipsEverything();
        context.Returns(nameof(StockActivities.CommitStock), _ => 1);
        var atPublish = stagesAtPublish = [];
        var publishes = 0;
        context.Returns(nameof(OrderViewActivities.PublishOrderEvent), input =>
        {
            atPublish.Add(context.Stages[^1]);
            return ++publishes <= failedPublishes
                ? throw new TaskFailedException(nameof(OrderViewActivities.PublishOrderEvent), publishes, new InvalidOperationException("storage unavailable"))
                : ((PublishOrderEventRequest)input!).Event.EventId;
        });
        return context;
    }

    private static TaskCompletionSource<OperatorRequest> Resumable(OrchestrationContextFake context)
    {
        var resume = new TaskCompletionSource<OperatorRequest>();
        context.Mock.Setup(c => c.WaitForExternalEvent<OperatorRequest>(OrderEvents.RetryCompletion, It.IsAny<CancellationToken>()))
            .Returns(resume.Task);
        return resume;
    }
}
