using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Workflows.Orders.Storage;
using Workflows.Shared.Http;
using Workflows.Shared.Storage;

namespace Workflows.Orders.Http;

/// <summary>
/// An order in the list, with the URL of its full view; <c>ParkedIn</c>: the status it waits in for an operator
/// (CompensationFailed or CompletionFailed), also when its own status stays Failed or Cancelled, else null.
/// </summary>
public sealed record OrderListItem(
    string Id, OrderStatus Status, DateTime CreatedAt, DateTime UpdatedAt, string? Currency, decimal? Total,
    IReadOnlyList<string> Skus, int Lines, string Url, OrderStatus? ParkedIn);

public sealed class ListOrdersHttp(OrderIndexStore index)
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 100;

    /// <summary>
    /// Lists orders newest first from the order index: <c>status</c> (comma-separated), <c>createdFrom</c> (inclusive),
    /// <c>createdTo</c> (exclusive), <c>sku</c>, <c>pageSize</c> (1-100, default 25) and <c>continuationToken</c>. A status
    /// also matches the orders parked in it (a Failed order waiting in CompletionFailed is listed under both).
    /// </summary>
    [Function(nameof(ListOrders))]
    public async Task<IActionResult> ListOrders(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "orders")] HttpRequest req)
    {
        var query = new ListQuery(req);
        var statuses = query.Enums<OrderStatus>("status");
        var (from, to) = query.TimeRange("created");
        var sku = query.Text("sku", s => OrderValidation.SkuPattern().IsMatch(s), "must be a SKU: letters, digits, '.', '_' or '-', at most 64");
        var pageSize = query.PageSize(DefaultPageSize, MaxPageSize);
        var after = query.Continuation(p => NewestFirstIndex.IsRowKey(p, id => OrderValidation.OrderIdPattern().IsMatch(id)));
        if (query.Problem() is { } problem)
        {
            return problem;
        }

        var (orders, next) = await index.ListAsync(
            new OrderListQuery(statuses, from, to, sku, after, pageSize), req.HttpContext.RequestAborted);
        var items = orders.Select(o => new OrderListItem(
            o.Id, o.Status, o.CreatedAt, o.UpdatedAt, o.Currency, o.Total, o.Skus, o.Lines, OrderProblems.OrderUrl(req, o.Id), o.ParkedIn)).ToList();
        return new OkObjectResult(new ListPage<OrderListItem>(items, next is null ? null : ContinuationTokens.Encode(next)));
    }
}
