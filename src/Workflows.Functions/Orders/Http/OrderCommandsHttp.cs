using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Workflows.Shared.Http;

namespace Workflows.Orders.Http;

/// <summary>Optional body of <c>POST /api/orders/{id}/approve</c>; who approved comes from the caller's identity.</summary>
public sealed record ApprovalBody(bool? Approved);

/// <summary>
/// Commands on a running order, delivered to its saga as external events (202), or 409 when not applicable now. Cancel
/// is the customer's (function key); approve, compensate and resume are back-office actions (admin key), recorded with
/// the caller's identity.
/// </summary>
public sealed class OrderCommandsHttp(IConfiguration configuration)
{
    private static readonly OrderStatus[] Cancellable =
        [OrderStatus.Received, OrderStatus.Reserving, OrderStatus.AwaitingApproval, OrderStatus.Charging];

    /// <summary>Cancels an order that has not started shipping (the saga compensates); 409 once shipping or finished.</summary>
    [Function(nameof(CancelOrder))]
    public Task<IActionResult> CancelOrder(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "orders/{orderId}/cancel")] HttpRequest req,
        string orderId,
        [DurableClient] DurableTaskClient client) =>
        SendAsync(req, orderId, client, Cancellable, OrderEvents.Cancel, new CancelRequest("cancelled_by_customer"));

    /// <summary>Approves (or, with <c>{"approved": false}</c>, rejects) an order that is awaiting approval.</summary>
    [Function(nameof(ApproveOrder))]
    public async Task<IActionResult> ApproveOrder(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "orders/{orderId}/approve")] HttpRequest req,
        string orderId,
        [DurableClient] DurableTaskClient client)
    {
        ApprovalBody? body;
        try
        {
            (body, var tooLarge) = await JsonRequestBody.ReadAsync<ApprovalBody>(req, req.HttpContext.RequestAborted);
            if (tooLarge)
            {
                return OrderProblems.TooLarge();
            }
        }
        catch (JsonException ex)
        {
            return OrderProblems.Validation(new Dictionary<string, string[]> { ["body"] = [$"is not valid JSON: {ex.Message}"] });
        }

        var decision = new ApprovalDecision(body?.Approved ?? true, CallerIdentity.Of(req, configuration));
        return await SendAsync(req, orderId, client, [OrderStatus.AwaitingApproval], OrderEvents.Approval, decision);
    }

    /// <summary>Retries the outstanding compensations of an order in CompensationFailed (after the cause was fixed).</summary>
    [Function(nameof(CompensateOrder))]
    public Task<IActionResult> CompensateOrder(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "orders/{orderId}/compensate")] HttpRequest req,
        string orderId,
        [DurableClient] DurableTaskClient client) =>
        SendAsync(req, orderId, client, [OrderStatus.CompensationFailed], OrderEvents.RetryCompensation, new OperatorRequest(CallerIdentity.Of(req, configuration)));

    /// <summary>
    /// Resumes the completion of an order in CompletionFailed: retries the step that failed, then the rest (for a Failed
    /// or Cancelled order, the publish of its event).
    /// </summary>
    [Function(nameof(ResumeOrder))]
    public Task<IActionResult> ResumeOrder(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "orders/{orderId}/resume")] HttpRequest req,
        string orderId,
        [DurableClient] DurableTaskClient client) =>
        SendAsync(req, orderId, client, [OrderStatus.CompletionFailed], OrderEvents.RetryCompletion, new OperatorRequest(CallerIdentity.Of(req, configuration)));

    private static async Task<IActionResult> SendAsync(
        HttpRequest req, string orderId, DurableTaskClient client, OrderStatus[] allowed, string eventName, object payload)
    {
        var ct = req.HttpContext.RequestAborted;
        if (!OrderValidation.OrderIdPattern().IsMatch(orderId))
        {
            return OrderProblems.NotFound(orderId);
        }

        // The saga's own stage (custom status, committed with its state), not the view, which an outage may leave behind.
        var instance = await client.GetInstanceAsync(orderId, getInputsAndOutputs: true, ct);
        if (instance is null || instance.Name != nameof(OrderFulfilmentOrchestrator))
        {
            return OrderProblems.NotFound(orderId);
        }

        var status = instance.ReadCustomStatusAs<OrderStage>()?.Status ?? OrderStatus.Received;
        if (instance.RuntimeStatus is not (OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending)
            || !allowed.Contains(status))
        {
            return OrderProblems.Conflict(
                $"Not possible while the order is {status}.",
                $"'{eventName}' applies only while the order is {string.Join(" or ", allowed)} (it is {status}, instance {instance.RuntimeStatus}).");
        }

        await client.RaiseEventAsync(orderId, eventName, payload, ct);
        return new AcceptedResult(OrderProblems.OrderUrl(req, orderId), new { id = orderId, requested = eventName });
    }
}
