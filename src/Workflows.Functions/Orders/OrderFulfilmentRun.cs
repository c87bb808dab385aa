using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Workflows.Shared;

namespace Workflows.Orders;

/// <summary>
/// The orchestrator's bookkeeping for one order: idempotency keys, retry options, progress (custom status + order view),
/// the compensating end of the saga, and parking for an operator. Replay-safe: only context APIs.
/// Progress reaches the custom status at once; the order view gets it with the next business step, which writes it
/// before it runs (<see cref="IOrderStepRequest"/>), or with a view write of its own where no step follows: before the
/// saga waits, compensates or parks. The final status rides on the event's publish (<see cref="FinishAsync"/>). Progress stays unwritten until an activity that carried it succeeded.
/// </summary>
internal sealed class OrderFulfilmentRun(TaskOrchestrationContext context, PlaceOrder order, Compensations saga)
{
    private const int MaxStatusReasonLength = 200;
    private readonly List<string> _compensationsRun = [];
    private readonly List<RecordProgressRequest> _unwritten = [];
    private readonly ILogger _logger = context.CreateReplaySafeLogger(nameof(OrderFulfilmentOrchestrator));
    private readonly string _fingerprint = OrderFingerprint.Of(order);
    private int _progressWrites;
    private PricedOrder? _priced;
    private OrderEvent? _event;

    public PlaceOrder Order => order;

    public OrderSettings Settings => order.Settings;

    /// <summary>Every step and view write: errors are retried (business rejections are results, never errors).</summary>
    public TaskOptions StepRetry { get; } = RetryPolicies.Retry(order.Settings.StepRetry);

    public TaskOptions PaymentRetry { get; } = RetryPolicies.Retry(order.Settings.PaymentRetry);

    public TaskOptions CompensationRetry { get; } = RetryPolicies.Retry(order.Settings.CompensationRetry);

    /// <summary>The steps after the point of no return: long, because the alternative is parking the order.</summary>
    public TaskOptions CompletionRetry { get; } = RetryPolicies.Retry(order.Settings.CompletionRetry);

    public string Key(string step, string? item = null) => IdempotencyKeys.For(context.InstanceId, step, item);

    /// <summary>Moves the order to <paramref name="status"/>: custom status at once; the step goes to the view with the next business step.</summary>
    public void Note(
        OrderStatus status, string step, PricedOrder? priced = null, string? reason = null, IReadOnlyList<CompensationFailure>? outstanding = null)
    {
        context.SetCustomStatus(new OrderStage(status, Shorten(reason)));
        NoteForView(status, step, priced, reason, outstanding);
    }

    /// <summary>As <see cref="Note"/>, then writes the order view now (with every step not yet written).</summary>
    public async Task RecordAsync(
        OrderStatus status,
        string step,
        PricedOrder? priced = null,
        string? reason = null,
        IReadOnlyList<CompensationFailure>? outstanding = null,
        TaskOptions? retry = null)
    {
        Note(status, step, priced, reason, outstanding);
        var progress = Unwritten()!;
        await context.CallActivityAsync<OrderStatus>(nameof(OrderViewActivities.RecordOrderProgress), progress, retry ?? StepRetry);
        Written(progress);
    }

    /// <summary>Calls a business step that carries the unwritten progress into the view (see the class summary).</summary>
    public async Task<T> StepAsync<T>(string activity, Func<IReadOnlyList<RecordProgressRequest>?, IOrderStepRequest> request, TaskOptions retry)
    {
        var progress = Unwritten();
        var result = await context.CallActivityAsync<T>(activity, request(progress), retry);
        Written(progress);
        return result;
    }

    /// <summary>The progress not yet in the view, for the next step (or the first branch of a fan-out) to carry; null when none.</summary>
    public IReadOnlyList<RecordProgressRequest>? Unwritten() => _unwritten.Count > 0 ? [.. _unwritten] : null;

    /// <summary>The activity that carried <paramref name="progress"/> succeeded: those steps are in the view.</summary>
    public void Written(IReadOnlyList<RecordProgressRequest>? progress) => _unwritten.RemoveAll(p => progress?.Contains(p) == true);

    /// <summary>
    /// Notes the final status and publishes the order's event with it, one activity writing the view too: Completed after
    /// the event, Failed and Cancelled before it (the order of the two separate steps this replaces); the custom status
    /// moves in the same order, so neither says Completed before the event is out. When that fails (after its retries)
    /// the order has not finished: the note is dropped, and a retry notes it afresh. The event is built once, so a retry
    /// (after an operator's resume) publishes the same event again: the first may be out already.
    /// </summary>
    public async Task FinishAsync(
        OrderStatus final, OrderEventType type, string? reason, TaskOptions? retry = null, IReadOnlyList<CompensationFailure>? outstanding = null)
    {
        var publishFirst = final == OrderStatus.Completed;
        var stage = new OrderStage(final, Shorten(reason));
        if (!publishFirst)
        {
            context.SetCustomStatus(stage);
        }

        var note = NoteForView(final, final.ToString(), reason: reason, outstanding: outstanding);
        var progress = Unwritten()!;
        if (_event is not { } built || built.Type != type || built.Reason != reason)
        {
            _event = new OrderEvent(
                $"{order.OrderId}:{type}", type, order.OrderId, context.CurrentUtcDateTime, _priced?.Currency ?? "",
                _priced?.Total ?? 0, _priced?.Lines ?? [], reason);
        }

        try
        {
            await context.CallActivityAsync<string>(
                nameof(OrderViewActivities.PublishOrderEvent), new PublishOrderEventRequest(_event, progress, publishFirst), retry ?? StepRetry);
        }
        catch (TaskFailedException)
        {
            _unwritten.Remove(note);
            throw;
        }

        Written(progress);
        if (publishFirst)
        {
            context.SetCustomStatus(stage);
        }
    }

    /// <summary>
    /// Runs the registered compensations (reverse order). While any still fails after its retries, the order is parked
    /// in CompensationFailed until <c>POST /compensate</c> asks to retry just those.
    /// </summary>
    public async Task<OrderOutcome> StopAsync(OrderStatus final, string reason)
    {
        await RecordCompensatingAsync(reason);
        var report = await saga.CompensateAsync();
        _compensationsRun.AddRange(report.Completed);
        while (!report.AllSucceeded)
        {
            var outstanding = string.Join("; ", report.Failed.Select(f => $"{f.ActivityName}: {f.ErrorType}: {f.Message}"));
            await ParkAsync(OrderStatus.CompensationFailed, OrderStatus.Compensating, OrderEvents.RetryCompensation, outstanding, report.Failed);
            report = await saga.CompensateAsync();
            _compensationsRun.AddRange(report.Completed);
        }

        // The outcome is decided and compensated: from here the order only moves forward, as after the point of no
        // return. A publish that still fails parks it in CompletionFailed (the view keeps its outcome and reason) until
        // an operator resumes it; the retry publishes the same event. Stopping again would undo nothing and overwrite both.
        var type = final == OrderStatus.Cancelled ? OrderEventType.OrderCancelled : OrderEventType.OrderFailed;
        await UntilDoneAsync(type.ToString(), () => FinishAsync(final, type, reason, CompletionRetry, outstanding: []), resumed: final, shownAs: final);
        return new OrderOutcome(order.OrderId, final, _priced?.Total ?? 0, reason);
    }

    /// <summary>
    /// Runs a step of an order whose outcome is decided until it succeeds: one that fails after its retries parks the
    /// order in CompletionFailed (the view shows <paramref name="shownAs"/> when given) until an operator resumes it
    /// (back to <paramref name="resumed"/>), then runs again.
    /// </summary>
    public async Task UntilDoneAsync(string name, Func<Task> step, OrderStatus resumed, OrderStatus? shownAs = null)
    {
        while (true)
        {
            try
            {
                await step();
                return;
            }
            catch (TaskFailedException ex)
            {
                var failed = $"{name} failed after its retries: {ex.FailureDetails.ErrorType}: {ex.FailureDetails.ErrorMessage}";
                await ParkAsync(OrderStatus.CompletionFailed, resumed, OrderEvents.RetryCompletion, failed, shownAs: shownAs);
            }
        }
    }

    /// <summary>An unexpected error: its details go to the log (and the instance's failure); customers see a stable code.</summary>
    public Task<OrderOutcome> StopUnexpectedlyAsync(TaskFailedException ex)
    {
        _logger.LogError(
            "{OrderId}: {Activity} failed after its retries ({ErrorType}: {Error}); compensating",
            order.OrderId, ex.TaskName, ex.FailureDetails.ErrorType, ex.FailureDetails.ErrorMessage);
        return StopAsync(OrderStatus.Failed, OrderRejections.ProcessingError);
    }

    /// <summary>
    /// Parks the order in <paramref name="parked"/> until an operator sends <paramref name="retryEvent"/>, then records
    /// who did and moves it back to <paramref name="resumed"/>. Requests that arrived while the saga was busy (a double
    /// click, a repeated call) are dropped before the park is recorded, so only a request made while the order is parked
    /// starts the next round. The park is durable in the custom status (with <paramref name="detail"/> for operators);
    /// the view writes are best effort, since a storage outage may be why the order is parked. The view records the park
    /// as a step under <paramref name="shownAs"/> when given (a decided outcome it keeps), else under <paramref name="parked"/>.
    /// </summary>
    public async Task ParkAsync(
        OrderStatus parked,
        OrderStatus resumed,
        string retryEvent,
        string detail,
        IReadOnlyList<CompensationFailure>? outstanding = null,
        OrderStatus? shownAs = null)
    {
        Task<OperatorRequest> request;
        while ((request = context.WaitForExternalEvent<OperatorRequest>(retryEvent)).IsCompleted)
        {
            _logger.LogInformation("{OrderId}: ignored a {Event} sent while the order was not parked", order.OrderId, retryEvent);
        }

        _logger.LogError("{OrderId}: parked in {Status}: {Detail}", order.OrderId, parked, detail);
        await RecordBestEffortAsync(shownAs ?? parked, parked.ToString(), outstanding: outstanding);
        context.SetCustomStatus(new OrderStage(parked, Shorten(detail)));
        var by = (await request).By;
        await RecordBestEffortAsync(resumed, $"{retryEvent} by {by}");
    }

    /// <summary>
    /// Undoing must not depend on the view: when this progress write fails (after its retries), compensate anyway. A
    /// later write that still fails (the final status, with the event) parks the order, so nothing is hidden.
    /// </summary>
    private Task RecordCompensatingAsync(string reason) =>
        RecordBestEffortAsync(OrderStatus.Compensating, "Compensating", reason: reason);

    private async Task RecordBestEffortAsync(
        OrderStatus status, string step, string? reason = null, IReadOnlyList<CompensationFailure>? outstanding = null)
    {
        try
        {
            await RecordAsync(status, step, reason: reason, outstanding: outstanding);
        }
        catch (TaskFailedException ex)
        {
            _logger.LogWarning("{OrderId}: could not record {Status} ({Error}); going on", order.OrderId, status, ex.FailureDetails.ErrorMessage);
        }
    }

    /// <summary>Queues a step for the view (written with the next activity that carries the unwritten progress).</summary>
    private RecordProgressRequest NoteForView(
        OrderStatus status, string step, PricedOrder? priced = null, string? reason = null, IReadOnlyList<CompensationFailure>? outstanding = null)
    {
        _priced = priced ?? _priced;
        var progress = new RecordProgressRequest(
            order.OrderId, status, step, context.CurrentUtcDateTime, priced, reason,
            _compensationsRun.Count > 0 ? [.. _compensationsRun] : null,
            outstanding,
            ++_progressWrites,
            _fingerprint);
        _unwritten.Add(progress);
        return progress;
    }

    private static string? Shorten(string? text) => text is { Length: > MaxStatusReasonLength } ? text[..MaxStatusReasonLength] : text;
}
