using Microsoft.DurableTask;
using Moq;
using Workflows.Orders;

namespace Workflows.Tests.Orders;

/// <summary>The orchestrator's decisions in isolation (strict mock: an unexpected activity call fails the test).</summary>
public sealed class OrderFulfilmentOrchestratorTests
{
    [Fact]
    public async Task Orchestrator_PaymentDeclined_RefundsThenReleasesAndNeverShips()
    {
        // Arrange
        var context = new OrchestrationContextFake();
        context.Returns(nameof(CatalogueActivities.PriceOrder), _ => StepResult.Accepted(OrchestrationContextFake.Priced));
        context.Returns(nameof(StockActivities.ReserveStock), _ => StepResult.Accepted<IReadOnlyList<StockAllocation>>([new("KB", "ams", 2)]));
        context.Returns(nameof(PaymentActivities.ChargePayment), _ => StepResult.Rejected<PaymentReceipt>("payment_declined: card_declined"));
        context.Compensates(nameof(PaymentActivities.RefundPayment));
        context.Compensates(nameof(StockActivities.ReleaseStock));

        // Act
        var outcome = await OrderFulfilmentOrchestrator.RunAsync(context.Mock.Object, OrchestrationContextFake.Order());

        // Assert
        Assert.Equal(new OrderOutcome("order-1", OrderStatus.Failed, 20m, "payment_declined: card_declined"), outcome);
        Assert.Equal(
            ["PriceOrder", "ReserveStock", "ChargePayment", "RefundPayment", "ReleaseStock", "PublishOrderEvent"],
            context.Calls);
        Assert.Equal(OrderStatus.Failed, context.Recorded[^1]);
    }

    [Fact]
    public async Task Orchestrator_LargeOrderNotApprovedInTime_CancelsWithoutCharging()
    {
        // Arrange: the total (20) is above the threshold (10); the deadline timer fires first.
        var context = new OrchestrationContextFake();
        context.Returns(nameof(CatalogueActivities.PriceOrder), _ => StepResult.Accepted(OrchestrationContextFake.Priced));
        context.Returns(nameof(StockActivities.ReserveStock), _ => StepResult.Accepted<IReadOnlyList<StockAllocation>>([new("KB", "ams", 2)]));
        context.Compensates(nameof(StockActivities.ReleaseStock));
        context.Mock.Setup(c => c.WaitForExternalEvent<ApprovalDecision>(OrderEvents.Approval, It.IsAny<CancellationToken>()))
            .Returns(new TaskCompletionSource<ApprovalDecision>().Task);
        context.Mock.Setup(c => c.CreateTimer(OrchestrationContextFake.Now.AddMinutes(5), It.IsAny<CancellationToken>()))
            .Returns(Task.CompletedTask);

        // Act
        var outcome = await OrderFulfilmentOrchestrator.RunAsync(context.Mock.Object, OrchestrationContextFake.Order(approvalThreshold: 10m));

        // Assert
        Assert.Equal(new OrderOutcome("order-1", OrderStatus.Cancelled, 20m, "approval_timeout"), outcome);
        Assert.Equal(["PriceOrder", "ReserveStock", "ReleaseStock", "PublishOrderEvent"], context.Calls);
        Assert.Contains(OrderStatus.AwaitingApproval, context.Recorded);
    }

    [Fact]
    public async Task Orchestrator_HappyPath_EveryStepReachesTheViewWithNoViewWriteOfItsOwn()
    {
        // Arrange
        var context = new OrchestrationContextFake();
        context.ShipsEverything();
        context.Returns(nameof(StockActivities.CommitStock), _ => 1);

        // Act
        var outcome = await OrderFulfilmentOrchestrator.RunAsync(context.Mock.Object, OrchestrationContextFake.Order());

        // Assert: the business steps carry the view's progress; Completed rides on the event's publish.
        Assert.Equal(OrderStatus.Completed, outcome.Status);
        Assert.Equal(["PriceOrder", "ReserveStock", "ChargePayment", "CreateShipment", "CommitStock", "PublishOrderEvent"], context.Calls);
        Assert.Equal(["Received", "Priced", "Reserved", "Charging", "Charged", "Shipping", "Shipped", "Completed"], context.RecordedSteps);
        Assert.Equal(0, context.ViewWrites);
    }

    [Fact]
    public async Task Orchestrator_HappyPath_PricingWritesNoViewAndTheFirstReservationCarriesReceivedWithPriced()
    {
        // Arrange
        var context = new OrchestrationContextFake();
        context.ShipsEverything();
        context.Returns(nameof(StockActivities.CommitStock), _ => 1);

        // Act
        await OrderFulfilmentOrchestrator.RunAsync(context.Mock.Object, OrchestrationContextFake.Order());

        // Assert: GET /api/orders/{id} answers Received for a started order without a view, so pricing writes none;
        // the first view write (the reservation's) holds Received with its own time, then Priced.
        Assert.Null(Assert.IsType<PriceOrderRequest>(context.Inputs[0]).Progress);
        var reserve = Assert.IsType<ReserveStockRequest>(context.Inputs[1]);
        Assert.Equal(["Received", "Priced"], reserve.Progress!.Select(p => p.Step));
        Assert.Equal([1, 2], reserve.Progress!.Select(p => p.Sequence));
    }

    [Fact]
    public async Task Orchestrator_ApprovalArrivesBeforeDeadline_CancelsTimerAndCompletes()
    {
        // Arrange
        var context = new OrchestrationContextFake();
        CancellationToken timerToken = default;
        context.ShipsEverything();
        context.Returns(nameof(StockActivities.CommitStock), _ => 2);
        context.Mock.Setup(c => c.WaitForExternalEvent<ApprovalDecision>(OrderEvents.Approval, It.IsAny<CancellationToken>()))
            .Returns(Task.FromResult(new ApprovalDecision(true, "boss")));
        context.Mock.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Callback((DateTime _, CancellationToken token) => timerToken = token)
            .Returns(new TaskCompletionSource().Task);

        // Act
        var outcome = await OrderFulfilmentOrchestrator.RunAsync(context.Mock.Object, OrchestrationContextFake.Order(approvalThreshold: 10m));

        // Assert
        Assert.Equal(OrderStatus.Completed, outcome.Status);
        Assert.True(timerToken.IsCancellationRequested, "the approval timer must be cancelled once the approval won");
        Assert.Equal(["PriceOrder", "ReserveStock", "ChargePayment", "CreateShipment", "CommitStock", "PublishOrderEvent"], context.Calls);
    }

    [Fact]
    public async Task Orchestrator_CommitStockFailsAfterShipping_ParksUntilResumedAndNeverCompensates()
    {
        // Arrange: CommitStock fails after its retries once; a stale resume request is already buffered.
        var context = new OrchestrationContextFake();
        context.ShipsEverything();
        context.FailsThenReturns(nameof(StockActivities.CommitStock), failures: 1, result: 2);
        var resume = new TaskCompletionSource<OperatorRequest>();
        context.Mock.SetupSequence(c => c.WaitForExternalEvent<OperatorRequest>(OrderEvents.RetryCompletion, It.IsAny<CancellationToken>()))
            .Returns(Task.FromResult(new OperatorRequest("stale")))
            .Returns(resume.Task);

        // Act 1: no compensation is set up, so the strict mock throws if the saga tries to undo anything.
        var running = OrderFulfilmentOrchestrator.RunAsync(context.Mock.Object, OrchestrationContextFake.Order());

        // Assert 1: parked, waiting for a fresh request (the stale one did not resume it).
        Assert.False(running.IsCompleted);
        Assert.Equal(OrderStatus.CompletionFailed, context.Recorded[^1]);

        // Act 2
        resume.SetResult(new OperatorRequest("ops@example.com"));
        var outcome = await running;

        // Assert 2: the step that failed ran again, then the rest.
        Assert.Equal(OrderStatus.Completed, outcome.Status);
        Assert.Equal(["PriceOrder", "ReserveStock", "ChargePayment", "CreateShipment", "CommitStock", "CommitStock", "PublishOrderEvent"], context.Calls);
        Assert.Equal(OrderStatus.Completed, context.Recorded[^1]);
    }

    [Fact]
    public async Task Orchestrator_FinalPublishFailsAfterItsRetries_ParksThenWritesCompletedAfreshWithTheRetriedPublish()
    {
        // Arrange: the publish (which carries Completed into the view) fails after its retries once.
        var context = new OrchestrationContextFake();
        context.ShipsEverything();
        context.Returns(nameof(StockActivities.CommitStock), _ => 1);
        context.FailsThenReturns(nameof(OrderViewActivities.PublishOrderEvent), failures: 1, result: "order-1:OrderCompleted");
        var resume = new TaskCompletionSource<OperatorRequest>();
        context.Mock.Setup(c => c.WaitForExternalEvent<OperatorRequest>(OrderEvents.RetryCompletion, It.IsAny<CancellationToken>()))
            .Returns(resume.Task);

        // Act
        var running = OrderFulfilmentOrchestrator.RunAsync(context.Mock.Object, OrchestrationContextFake.Order());
        resume.SetResult(new OperatorRequest("ops"));
        var outcome = await running;

        // Assert: the park is written alone (not on top of the unfinished Completed), and the publish that ran again
        // carried Completed again; the stock was committed once.
        Assert.Equal(OrderStatus.Completed, outcome.Status);
        Assert.Equal(["PriceOrder", "ReserveStock", "ChargePayment", "CreateShipment", "CommitStock", "PublishOrderEvent", "PublishOrderEvent"], context.Calls);
        Assert.Equal(["Shipped", "Completed", "CompletionFailed", "RetryCompletion by ops", "Completed"], context.RecordedSteps.TakeLast(5));
    }
}
