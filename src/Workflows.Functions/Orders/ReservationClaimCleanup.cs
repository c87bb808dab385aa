using System.Text.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Workflows.Orders.Storage;
using Workflows.Shared;

namespace Workflows.Orders;

/// <summary>
/// Before a finished order's instance is purged, deletes its <c>claim|{orderId}</c> row in each SKU's stock partition
/// (<see cref="ReservationClaimEntity"/>), so the rows do not pile up. Only for orders that finished at least
/// <see cref="OrdersOptions.ClaimCleanupMinAge"/> before: a younger order's reserve or release may still be redelivered,
/// and its rows then stay for good (an on-demand purge right after it finished), as do those of an order whose input no
/// longer reads as <see cref="PlaceOrder"/> (purged all the same). A delete that fails keeps the instance;
/// the next purge deletes again (an absent row is done).
/// </summary>
public sealed class ReservationClaimCleanup(
    StockStore stock, IOptions<OrdersOptions> options, TimeProvider time, ILogger<ReservationClaimCleanup> logger) : IInstancePurgeHook
{
    public async Task BeforePurgeAsync(DurableTaskClient client, OrchestrationMetadata instance, CancellationToken ct)
    {
        if (instance.Name != nameof(OrderFulfilmentOrchestrator))
        {
            return;
        }

        var minAge = options.Value.ClaimCleanupMinAge;
        if (time.GetUtcNow() - instance.LastUpdatedAt < minAge)
        {
            logger.LogWarning(
                "{OrderId} finished less than {MinAge} ago: its reservation claim rows stay (a late reserve or release may still arrive)",
                instance.InstanceId, minAge);
            return;
        }

        // The SKUs are the input's lines: the saga reserves (and releases) exactly those, keyed by the order id.
        var withInput = await client.GetInstanceAsync(instance.InstanceId, getInputsAndOutputs: true, ct);
        if (withInput is null || ReadOrder(withInput) is not { } order)
        {
            return;
        }

        var deleted = 0;
        foreach (var sku in order.Lines.Select(l => l?.Sku).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            deleted += await stock.DeleteClaimAsync(order.OrderId, sku, ct) ? 1 : 0;
        }

        logger.LogInformation("{OrderId}: deleted {Deleted} reservation claim row(s) before the purge", order.OrderId, deleted);
    }

    /// <summary>
    /// The order's input, or null (logged) when it no longer reads as <see cref="PlaceOrder"/> (an older version's
    /// shape): its claim rows cannot be named, so they stay, but the instance must not be kept from purging for good.
    /// </summary>
    private PlaceOrder? ReadOrder(OrchestrationMetadata instance)
    {
        try
        {
            if (instance.ReadInputAs<PlaceOrder>() is { OrderId: not null, Lines: not null } order)
            {
                return order;
            }
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            logger.LogWarning(ex, "{InstanceId}: its input is not a readable order; its reservation claim rows stay", instance.InstanceId);
            return null;
        }

        logger.LogWarning("{InstanceId}: its input has no order id or lines; its reservation claim rows stay", instance.InstanceId);
        return null;
    }
}
