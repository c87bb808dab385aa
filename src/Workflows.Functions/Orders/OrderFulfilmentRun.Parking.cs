using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Workflows.Shared;

namespace Workflows.Orders;

/// <summary>
/// How an order's saga ends when it cannot go forward, and waits: compensating a rejected, cancelled or failed order,
/// running a decided order's finishing step until it succeeds, and parking the order for an operator in between.
/// </summary>
internal sealed partial class OrderFulfilmentRun
{
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
}
