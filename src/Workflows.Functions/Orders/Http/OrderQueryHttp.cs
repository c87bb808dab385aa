using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workflows.Orders.Storage;

namespace Workflows.Orders.Http;

/// <summary>
/// The body of <c>GET /api/orders/{id}</c>: the order view plus the orchestration's runtime status, and
/// <c>ParkedIn</c>: the status the saga waits in for an operator (CompensationFailed or CompletionFailed), from its
/// custom status, else null. Customer-facing: it names outstanding compensations but not their errors, nor why the
/// order is parked (those are in the logs and the operations status endpoint).
/// </summary>
public sealed record OrderResource(
    string Id,
    OrderStatus Status,
    string RuntimeStatus,
    string? Currency,
    decimal? Total,
    IReadOnlyList<PricedLine> Lines,
    IReadOnlyList<OrderStep> Steps,
    IReadOnlyList<string> CompensationsRun,
    IReadOnlyList<string> OutstandingCompensations,
    string? FailureReason,
    DateTime? CreatedAt,
    DateTime? UpdatedAt,
    OrderStatus? ParkedIn);

public sealed class OrderQueryHttp(OrderViewStore views)
{
    /// <summary>
    /// Returns the order view (materialized by the saga) with the instance's runtime status and park; 404 if unknown.
    /// The park is read from the saga's custom status (committed with its state), since the view is written best
    /// effort while an order parks and a storage outage may have left it behind.
    /// </summary>
    [Function(nameof(GetOrder))]
    public async Task<IActionResult> GetOrder(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "orders/{orderId}")] HttpRequest req,
        string orderId,
        [DurableClient] DurableTaskClient client)
    {
        var ct = req.HttpContext.RequestAborted;
        if (!OrderValidation.OrderIdPattern().IsMatch(orderId))
        {
            return OrderProblems.NotFound(orderId);
        }

        var instance = await client.GetInstanceAsync(orderId, getInputsAndOutputs: true, ct); // the custom status comes with the inputs
        if (instance is not null && instance.Name != nameof(OrderFulfilmentOrchestrator))
        {
            instance = null; // another workflow's instance id, not an order
        }

        var view = await views.FindAsync(orderId, ct);
        if (instance is null && view is null)
        {
            return OrderProblems.NotFound(orderId);
        }

        // Started but not yet recorded: the view appears with the first reservation (pricing writes none).
        view ??= new OrderView(orderId, OrderStatus.Received, null, null, [], [], [], [], null, instance!.CreatedAt.UtcDateTime, instance.LastUpdatedAt.UtcDateTime);
        return new OkObjectResult(new OrderResource(
            view.Id, view.Status, instance?.RuntimeStatus.ToString() ?? "Unknown", view.Currency, view.Total, view.Lines,
            view.Steps, view.CompensationsRun, [.. view.OutstandingCompensations.Select(c => c.ActivityName)], view.FailureReason, view.CreatedAt, view.UpdatedAt,
            ParkedIn(instance)));
    }

    private static OrderStatus? ParkedIn(OrchestrationMetadata? instance) =>
        instance is { RuntimeStatus: OrchestrationRuntimeStatus.Running }
        && instance.ReadCustomStatusAs<OrderStage>()?.Status is { } stage and (OrderStatus.CompletionFailed or OrderStatus.CompensationFailed)
            ? stage : null;
}
