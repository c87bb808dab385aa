using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Workflows.Orders.Storage;

namespace Workflows.Orders;

public sealed class StockActivities(StockStore stock, OrderViewStore views, ILogger<StockActivities> logger)
{
    /// <summary>
    /// Reserves one order line, split across warehouses if needed; all or nothing, idempotent per order and SKU.
    /// Not enough stock is a rejection (a result), not an error.
    /// </summary>
    [Function(nameof(ReserveStock))]
    public async Task<StepResult<IReadOnlyList<StockAllocation>>> ReserveStock([ActivityTrigger] ReserveStockRequest request, CancellationToken ct)
    {
        await views.ApplyAsync(request.Progress, ct);
        var reserved = await stock.ReserveAsync(request.OrderId, request.Sku, request.Quantity, ct);
        logger.LogInformation("{Key}: {Outcome}", request.Key, reserved.Rejection ?? $"reserved {request.Quantity} in {reserved.Value!.Count} warehouse(s)");
        return reserved;
    }

    /// <summary>Compensation of ReserveStock: returns the order's reservation of a SKU to available stock (no-op if none).</summary>
    [Function(nameof(ReleaseStock))]
    public async Task<int> ReleaseStock([ActivityTrigger] StockLineRequest request, CancellationToken ct)
    {
        var released = await stock.ReleaseAsync(request.OrderId, request.Sku, ct);
        logger.LogInformation("{Key}: released {Quantity}", request.Key, released);
        return released;
    }

    /// <summary>After shipping: takes the order's reserved quantities out of stock for good (no-op if already done).</summary>
    [Function(nameof(CommitStock))]
    public async Task<int> CommitStock([ActivityTrigger] CommitStockRequest request, CancellationToken ct)
    {
        await views.ApplyAsync(request.Progress, ct);
        var committed = 0;
        foreach (var sku in request.Skus)
        {
            committed += await stock.CommitAsync(request.OrderId, sku, ct);
        }

        return committed;
    }
}
