using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Workflows.Shared;

namespace Workflows.Orders;

/// <summary>
/// The orchestrator's bookkeeping for one order: idempotency keys, retry options, progress (custom status + order view),
/// and the two ways a saga ends (complete, or compensate until nothing is outstanding). Replay-safe: only context APIs.
/// </summary>
internal sealed class OrderFulfilmentRun(TaskOrchestrationContext context, PlaceOrder order, Compensations saga)
{
    private const int MaxStatusReasonLength = 200;
    private readonly List<string> _compensationsRun = [];
    private int _progressWrites;
    private PricedOrder? _priced;

    public PlaceOrder Order => order;

    public OrderSettings Settings => order.Settings;

    /// <summary>Steps: retried, except business rejections (no stock, declined, undeliverable) which fail at once.</summary>
    public TaskOptions StepRetry { get; } = RetryPolicies.RetryExcept<OrderRejectedException>(order.Settings.StepRetry);

    public TaskOptions PaymentRetry { get; } = RetryPolicies.RetryExcept<OrderRejectedException>(order.Settings.PaymentRetry);

    public TaskOptions CompensationRetry { get; } = RetryPolicies.Retry(order.Settings.CompensationRetry);

    public string Key(string step, string? item = null) => IdempotencyKeys.For(context.InstanceId, step, item);

    /// <summary>Moves the order to <paramref name="status"/>: custom status at once, and the step into the order view.</summary>
    public async Task RecordAsync(
        OrderStatus status,
        string step,
        PricedOrder? priced = null,
        string? reason = null,
        IReadOnlyList<CompensationFailure>? outstanding = null)
    {
        _priced = priced ?? _priced;
        context.SetCustomStatus(new OrderStage(status, reason is { Length: > MaxStatusReasonLength } ? reason[..MaxStatusReasonLength] : reason));
        await context.CallActivityAsync<OrderStatus>(
            nameof(OrderViewActivities.RecordOrderProgress),
            new RecordProgressRequest(
                order.OrderId, status, step, context.CurrentUtcDateTime, priced, reason,
                _compensationsRun.Count > 0 ? [.. _compensationsRun] : null,
                outstanding,
                ++_progressWrites),
            StepRetry);
    }

    public async Task<OrderOutcome> CompleteAsync()
    {
        await RecordAsync(OrderStatus.Completed, "Completed");
        await PublishAsync(OrderEventType.OrderCompleted, null);
        return new OrderOutcome(order.OrderId, OrderStatus.Completed, _priced?.Total ?? 0, null);
    }

    /// <summary>
    /// Runs the registered compensations (reverse order). While any still fails after its retries, the order sits in
    /// CompensationFailed, with what failed in the view, until <c>POST /compensate</c> asks to retry just those.
    /// </summary>
    public async Task<OrderOutcome> StopAsync(OrderStatus final, string reason)
    {
        await RecordCompensatingAsync(reason);
        var report = await saga.CompensateAsync();
        _compensationsRun.AddRange(report.Completed);
        while (!report.AllSucceeded)
        {
            await RecordAsync(OrderStatus.CompensationFailed, "CompensationFailed", outstanding: report.Failed);
            await context.WaitForExternalEvent<bool>(OrderEvents.RetryCompensation);
            await RecordAsync(OrderStatus.Compensating, "Compensating");
            report = await saga.CompensateAsync();
            _compensationsRun.AddRange(report.Completed);
        }

        await RecordAsync(final, final.ToString(), reason: reason, outstanding: []);
        await PublishAsync(final == OrderStatus.Cancelled ? OrderEventType.OrderCancelled : OrderEventType.OrderFailed, reason);
        return new OrderOutcome(order.OrderId, final, _priced?.Total ?? 0, reason);
    }

    /// <summary>
    /// Undoing must not depend on the view: when this progress write fails (after its retries), compensate anyway. A
    /// later write that still fails (CompensationFailed, the final status) fails the instance, so nothing is hidden.
    /// </summary>
    private async Task RecordCompensatingAsync(string reason)
    {
        try
        {
            await RecordAsync(OrderStatus.Compensating, "Compensating", reason: reason);
        }
        catch (TaskFailedException ex)
        {
            context.CreateReplaySafeLogger(nameof(OrderFulfilmentOrchestrator)).LogWarning(
                "{OrderId}: could not record Compensating ({Error}); compensating anyway", order.OrderId, ex.FailureDetails.ErrorMessage);
        }
    }

    private Task<string> PublishAsync(OrderEventType type, string? reason) =>
        context.CallActivityAsync<string>(
            nameof(OrderViewActivities.PublishOrderEvent),
            new OrderEvent(
                $"{order.OrderId}:{type}", type, order.OrderId, context.CurrentUtcDateTime, _priced?.Currency ?? "",
                _priced?.Total ?? 0, _priced?.Lines ?? [], reason),
            StepRetry);
}
