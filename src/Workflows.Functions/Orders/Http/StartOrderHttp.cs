using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Workflows.Observability;
using Workflows.Orders.Storage;
using Workflows.Shared;
using Workflows.Shared.Http;

namespace Workflows.Orders.Http;

public sealed class StartOrderHttp(CatalogueStore catalogue, OrderViewStore views, IOptions<OrdersOptions> options)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>
    /// Validates an order and starts its saga with the order id as instance id (client-supplied id or Idempotency-Key,
    /// else a new one). 202 + Location when started; 200 with the current status when that id already exists (even if its
    /// history was purged), 409 when the id belongs to a different request, 413 over the body cap.
    /// </summary>
    [Function(nameof(StartOrder))]
    public async Task<IActionResult> StartOrder(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "orders")] HttpRequest req,
        [DurableClient] DurableTaskClient client)
    {
        var ct = req.HttpContext.RequestAborted;
        OrderRequestBody? body;
        try
        {
            (body, var tooLarge) = await JsonRequestBody.ReadAsync<OrderRequestBody>(req, ct);
            if (tooLarge)
            {
                return OrderProblems.TooLarge();
            }
        }
        catch (JsonException ex)
        {
            return OrderProblems.Validation(new Dictionary<string, string[]> { ["body"] = [$"is not valid JSON ({ex.Path}): {ex.Message}"] });
        }

        if (body is null)
        {
            return OrderProblems.Validation(new Dictionary<string, string[]> { ["body"] = ["a JSON object is required"] });
        }

        string? key = req.Headers[IdempotencyKeyHeader];
        var errors = await OrderValidation.ValidateAsync(body, string.IsNullOrEmpty(key) ? null : key, catalogue, ct);
        if (errors.Count > 0)
        {
            return OrderProblems.Validation(errors);
        }

        var order = ToPlaceOrder(body, body.OrderId ?? (string.IsNullOrEmpty(key) ? $"order-{Guid.NewGuid():N}" : key));
        WorkflowTelemetry.TagCurrent(WorkflowTelemetry.OrderIdAttribute, order.OrderId);
        var existing = await client.GetInstanceAsync(order.OrderId, getInputsAndOutputs: true, ct);
        if (existing is not null)
        {
            return await DuplicateAsync(req, order, existing, ct);
        }

        // An operator may have purged the instance's history; its order view stays (with the request's fingerprint),
        // and so the id stays taken.
        if (await views.FindAsync(order.OrderId, ct) is { } view)
        {
            return view.RequestFingerprint == OrderFingerprint.Of(order)
                ? Accepted(req, order.OrderId, view.Status, StatusCodes.Status200OK)
                : UsedByAnotherRequest(order.OrderId);
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(OrderFulfilmentOrchestrator),
                order,
                new StartOrchestrationOptions(order.OrderId).WithDedupeStatuses(InstanceStarts.DedupeStatuses),
                ct);
            return Accepted(req, order.OrderId, OrderStatus.Received, StatusCodes.Status202Accepted);
        }
        catch (Exception ex) when (InstanceStarts.IsAlreadyExists(ex))
        {
            // Lost a race with a request for the same id: answer like any duplicate.
            existing = await client.GetInstanceAsync(order.OrderId, getInputsAndOutputs: true, ct);
            if (existing is null)
            {
                throw;
            }

            return await DuplicateAsync(req, order, existing, ct);
        }
    }

    private async Task<IActionResult> DuplicateAsync(HttpRequest req, PlaceOrder order, OrchestrationMetadata existing, CancellationToken ct)
    {
        if (existing.Name != nameof(OrderFulfilmentOrchestrator)
            || existing.ReadInputAs<PlaceOrder>() is not { } stored
            || OrderFingerprint.Of(stored) != OrderFingerprint.Of(order))
        {
            return UsedByAnotherRequest(order.OrderId);
        }

        var view = await views.FindAsync(order.OrderId, ct);
        return Accepted(req, order.OrderId, view?.Status ?? OrderStatus.Received, StatusCodes.Status200OK);
    }

    private static ObjectResult UsedByAnotherRequest(string orderId) =>
        OrderProblems.Conflict("Order id already used.", $"'{orderId}' is already used by a different request; use a new id or key.");

    private static LocatedResult Accepted(HttpRequest req, string id, OrderStatus status, int code)
    {
        var url = OrderProblems.OrderUrl(req, id);
        return new LocatedResult(url, new OrderAccepted(id, url, status)) { StatusCode = code };
    }

    private PlaceOrder ToPlaceOrder(OrderRequestBody body, string orderId)
    {
        var a = body.ShippingAddress!;
        return new PlaceOrder(
            orderId,
            body.Lines!.Select(l => new OrderLine(l!.Sku!, l.Quantity!.Value)).ToList(),
            new ShippingAddress(a.Name!.Trim(), a.Line1!.Trim(), a.Line2?.Trim(), a.City!.Trim(), a.PostalCode!.Trim(), a.Country!),
            body.PaymentToken!,
            options.Value.ToSettings());
    }
}
