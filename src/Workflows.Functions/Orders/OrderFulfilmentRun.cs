using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Workflows.Shared;

namespace Workflows.Orders;

/// <summary>
/// The orchestrator's bookkeeping for one order: idempotency keys, retry options and progress (custom status + order
/// view); the compensating end of the saga and parking for an operator are in OrderFulfilmentRun.Parking.cs.
/// Replay-safe: only context APIs.
/// Progress reaches the custom status at once; the order view gets it with the next business step, which writes it
/// before it runs (<see cref="IOrderStepRequest"/>), or with a view write of its own where no step follows: before the
/// saga waits, compensates or parks. The final status rides on the event's publish (<see cref="FinishAsync"/>). Progress stays unwritten until an activity that carried it succeeded.
/// </summary>
internal sealed partial class OrderFulfilmentRun(TaskOrchestrationContext context, PlaceOrder order, Compensations saga)
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
