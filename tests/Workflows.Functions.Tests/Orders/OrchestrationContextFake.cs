using Microsoft.DurableTask;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Workflows.Orders;

namespace Workflows.Tests.Orders;

/// <summary>
/// A strict mock of <see cref="TaskOrchestrationContext"/> for the saga's decision logic: every activity it may call is
/// set up explicitly (anything else throws), and the names of the activities called are recorded in order.
/// </summary>
internal sealed class OrchestrationContextFake
{
    public static readonly DateTime Now = new(2026, 11, 27, 4, 0, 0, DateTimeKind.Utc);

    public Mock<TaskOrchestrationContext> Mock { get; } = new(MockBehavior.Strict);

    public List<string> Calls { get; } = [];

    /// <summary>The input of every activity call recorded in <see cref="Calls"/>, in the same order.</summary>
    public List<object?> Inputs { get; } = [];

    /// <summary>The status of every custom status the saga set, in order.</summary>
    public List<OrderStatus> Stages { get; } = [];

    /// <summary>The orchestration's current time (<see cref="Now"/> until a test moves it on).</summary>
    public DateTime Clock { get; set; } = Now;

    /// <summary>The status of every progress the saga sent to the order view (on its own or with a step), in order.</summary>
    public List<OrderStatus> Recorded { get; } = [];

    /// <summary>The step of every progress the saga sent to the order view, in order.</summary>
    public List<string> RecordedSteps { get; } = [];

    /// <summary>How many activity calls were view writes of their own (RecordOrderProgress).</summary>
    public int ViewWrites { get; private set; }

    public OrchestrationContextFake()
    {
        Mock.SetupGet(c => c.InstanceId).Returns("order-1");
        Mock.SetupGet(c => c.CurrentUtcDateTime).Returns(() => Clock);
        // Running for the first time (not replaying): compensations log their results through a replay-safe logger.
        Mock.SetupGet(c => c.IsReplaying).Returns(false);
        Mock.Setup(c => c.CreateReplaySafeLogger(It.IsAny<string>())).Returns(NullLogger.Instance);
        Mock.Setup(c => c.SetCustomStatus(It.IsAny<object?>())).Callback<object?>(s => Stages.Add(((OrderStage)s!).Status));
        Mock.Setup(c => c.WaitForExternalEvent<CancelRequest>(OrderEvents.Cancel, It.IsAny<CancellationToken>()))
            .Returns(new TaskCompletionSource<CancelRequest>().Task);
        Mock.Setup(c => c.CallActivityAsync<OrderStatus>(Named(nameof(OrderViewActivities.RecordOrderProgress)), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns((TaskName _, object? input, TaskOptions? _) =>
            {
                var progress = (IReadOnlyList<RecordProgressRequest>)input!;
                ViewWrites++;
                Record(progress);
                return Task.FromResult(progress[^1].Status);
            });
        Returns(nameof(OrderViewActivities.PublishOrderEvent), input => ((PublishOrderEventRequest)input!).Event.EventId);
    }

    public void Returns<T>(string activity, Func<object?, T> result) =>
        Mock.Setup(c => c.CallActivityAsync<T>(Named(activity), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns((TaskName _, object? input, TaskOptions? _) =>
            {
                Calls.Add(activity);
                Inputs.Add(input);
                Record((input as IOrderStepRequest)?.Progress ?? []);
                return Task.FromResult(result(input));
            });

    /// <summary>The activity fails (after its retries) the first <paramref name="failures"/> times, then returns <paramref name="result"/>.</summary>
    public void FailsThenReturns<T>(string activity, int failures, T result)
    {
        var calls = 0;
        Mock.Setup(c => c.CallActivityAsync<T>(Named(activity), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns((TaskName _, object? input, TaskOptions? _) =>
            {
                Calls.Add(activity);
                Inputs.Add(input);
                Record((input as IOrderStepRequest)?.Progress ?? []); // a step writes the view before it runs
                return ++calls <= failures
                    ? Task.FromException<T>(new TaskFailedException(activity, Calls.Count, new InvalidOperationException("storage unavailable")))
                    : Task.FromResult(result);
            });
    }

    /// <summary>A compensation (the saga block calls the untyped overload).</summary>
    public void Compensates(string activity) =>
        Mock.Setup(c => c.CallActivityAsync(Named(activity), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns(() =>
            {
                Calls.Add(activity);
                return Task.CompletedTask;
            });

    public static PlaceOrder Order(decimal approvalThreshold = 1000m) => new(
        "order-1",
        [new OrderLine("KB", 2)],
        new ShippingAddress("Ada", "1 Way", null, "London", "N1", "GB"),
        "tok_approve",
        new OrderSettings(approvalThreshold, TimeSpan.FromMinutes(5), Retry, Retry, Retry, Retry));

    public static PricedOrder Priced => new("order-1", "EUR", [new PricedLine("KB", "Keyboard", 2, 10m, 20m)], 20m);

    /// <summary>A happy path up to shipping: priced, reserved, charged, shipped.</summary>
    public void ShipsEverything()
    {
        Returns(nameof(CatalogueActivities.PriceOrder), _ => StepResult.Accepted(Priced));
        Returns(nameof(StockActivities.ReserveStock), _ => StepResult.Accepted<IReadOnlyList<StockAllocation>>([new("KB", "ams", 2)]));
        Returns(nameof(PaymentActivities.ChargePayment), _ => StepResult.Accepted(new PaymentReceipt("order-1", "ch_1", 20m, "EUR")));
        Returns(nameof(ShipmentActivities.CreateShipment), _ => StepResult.Accepted(new ShipmentBooking("order-1", "ams", "TRK1")));
    }

    private void Record(IEnumerable<RecordProgressRequest> progress)
    {
        foreach (var step in progress)
        {
            Recorded.Add(step.Status);
            RecordedSteps.Add(step.Step);
        }
    }

    private static readonly Workflows.Shared.RetrySettings Retry = new(2, TimeSpan.FromMilliseconds(1));

    private static TaskName Named(string activity) => It.Is<TaskName>(n => n.Name == activity);
}
