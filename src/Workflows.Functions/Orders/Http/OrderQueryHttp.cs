using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workflows.Orders.Storage;

namespace Workflows.Orders.Http;

/// <summary>
/// The body of <c>GET /api/orders/{id}</c>: the order view plus the orchestration's runtime status. Customer-facing: it
/// names outstanding compensations but not their errors (those are in the logs and the operations status endpoint).
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
    DateTime? UpdatedAt);

public sealed class OrderQueryHttp(OrderViewStore views)
{
    /// <summary>Returns the order view (materialized by the saga) with the instance's runtime status; 404 if unknown.</summary>
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

        var instance = await client.GetInstanceAsync(orderId, getInputsAndOutputs: false, ct);
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
            view.Steps, view.CompensationsRun, [.. view.OutstandingCompensations.Select(c => c.ActivityName)], view.FailureReason, view.CreatedAt, view.UpdatedAt));
    }
}
