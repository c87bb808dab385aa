using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Orders;
using Workflows.Orders.Shipping;
using Workflows.Orders.Storage;

namespace Workflows.Tests.Reliability;

/// <summary>
/// Audits placed orders from what they left in storage, never from which activities ran: the instance's outcome, the
/// payments ledger, the gateway's charges and refunds, the carrier's bookings, and every stock and reservation row of
/// the SKUs. Lost = an accepted order with no finished instance; duplicated = money or goods moved more than once.
/// </summary>
internal static class OrderAudit
{
    /// <param name="seeded">Units each SKU started with, over all its warehouses.</param>
    public static async Task AuditAsync(
        Audit audit, IServiceProvider services, DurableTaskClient client, IReadOnlyCollection<string> orderIds, IReadOnlyDictionary<string, int> seeded)
    {
        var tables = services.GetRequiredService<OrderTables>();
        var ledger = services.GetRequiredService<PaymentLedger>();
        // Created on first use: make sure an audit of orders that never reached a charge or a booking can read them.
        var gateway = await tables.LocalGatewayAsync(CancellationToken.None);
        var carrier = await tables.LocalCarrierAsync(CancellationToken.None);
        await gateway.CreateIfNotExistsAsync();
        await carrier.CreateIfNotExistsAsync();
        Dictionary<string, OrderStatus> outcomes = new(StringComparer.Ordinal);
        foreach (var id in orderIds)
        {
            audit.Count("orders");
            var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true);
            if (instance is not { RuntimeStatus: OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed })
            {
                audit.Violation("lost", $"order {id}: instance {instance?.RuntimeStatus.ToString() ?? "missing"} {instance?.SerializedCustomStatus}");
                continue;
            }

            // An instance that failed (an unexpected error after retries) was compensated: nothing may stay charged.
            var outcome = instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? instance.ReadOutputAs<OrderOutcome>()! : null;
            var status = outcome?.Status ?? OrderStatus.Failed;
            outcomes[id] = status;
            audit.Count($"orders {status}");
            if (outcome is null || outcome.Reason?.StartsWith("processing_error", StringComparison.Ordinal) == true)
            {
                audit.Count("orders failed by errors"); // retries ran out: compensated, then the instance failed
            }

            var completed = status == OrderStatus.Completed;
            await AuditMoneyAsync(audit, id, completed ? outcome!.Total : 0m, ledger, gateway);
            await AuditBookingsAsync(audit, id, completed, carrier);
        }

        var stock = await tables.StockAsync(CancellationToken.None);
        foreach (var (sku, units) in seeded)
        {
            await AuditStockAsync(audit, sku, units, outcomes, stock);
        }
    }

    /// <summary>The gateway and the ledger each hold the expected net amount: the total once if completed, else nothing.</summary>
    private static async Task AuditMoneyAsync(Audit audit, string id, decimal expected, PaymentLedger ledger, TableClient gateway)
    {
        var entries = await ledger.ListAsync(id, CancellationToken.None);
        var ledgerNet = entries.Sum(e => e.Kind == PaymentLedger.Charge ? e.Amount : -e.Amount);
        decimal gatewayNet = 0;
        await foreach (var row in gateway.QueryAsync<TableEntity>(e => e.PartitionKey == $"{id}:charge"))
        {
            var amount = Money.Parse(row.GetString("Amount") ?? "0");
            gatewayNet += row.RowKey switch { "charge" => amount, "refund" => -amount, _ => 0 };
        }

        if (gatewayNet > expected || ledgerNet > expected)
        {
            audit.Violation("duplicated", $"order {id}: charged {gatewayNet} at the gateway, {ledgerNet} in the ledger, owed {expected}");
        }
        else if (gatewayNet < expected || ledgerNet < expected)
        {
            audit.Violation("unpaid", $"order {id}: charged {gatewayNet} at the gateway, {ledgerNet} in the ledger, owed {expected}");
        }
        else
        {
            audit.Count(expected == 0 && entries.Count > 0 ? "refunded" : expected == 0 ? "never charged" : "charged once");
        }
    }

    /// <summary>A completed order has live bookings only; any other has every booking cancelled.</summary>
    private static async Task AuditBookingsAsync(Audit audit, string id, bool completed, TableClient carrier)
    {
        var booked = 0;
        await foreach (var row in carrier.QueryAsync<TableEntity>(
            e => e.PartitionKey.CompareTo($"{id}:ship:") >= 0 && e.PartitionKey.CompareTo($"{id}:ship;") < 0))
        {
            var status = row.GetString("Status");
            booked += status == LocalCarrier.Booked ? 1 : 0;
            if (!completed && status == LocalCarrier.Booked)
            {
                audit.Violation("shipment not cancelled", $"order {id}: {row.PartitionKey} still booked");
            }
        }

        if (completed && booked == 0)
        {
            audit.Violation("shipment missing", $"order {id}: completed without a booking");
        }
    }

    /// <summary>
    /// Every reservation belongs to an audited order and ended committed (completed) or released (any other end);
    /// nothing is left reserved, nothing went negative, and what is available plus what shipped is what was seeded.
    /// </summary>
    private static async Task AuditStockAsync(
        Audit audit, string sku, int seeded, Dictionary<string, OrderStatus> outcomes, TableClient stock)
    {
        var available = 0;
        var shipped = 0;
        await foreach (var row in stock.QueryAsync<TableEntity>(e => e.PartitionKey == sku))
        {
            if (row.RowKey.StartsWith(StockEntity.RowPrefix, StringComparison.Ordinal))
            {
                var (free, held) = (row.GetInt32("Available") ?? 0, row.GetInt32("Reserved") ?? 0);
                available += free;
                if (free < 0 || held != 0)
                {
                    audit.Violation("stock unbalanced", $"{sku} {row.RowKey}: available {free}, reserved {held}");
                }

                continue;
            }

            if (row.RowKey.StartsWith(ReservationClaimEntity.RowPrefix, StringComparison.Ordinal))
            {
                // Which of the order's reserve and release came first: no stock of its own, but only audited orders claim.
                if (!outcomes.ContainsKey(row.RowKey[ReservationClaimEntity.RowPrefix.Length..]))
                {
                    audit.Violation("claim without an order", $"{sku} {row.RowKey}");
                }

                continue;
            }

            var (order, state, quantity) = (row.GetString("OrderId"), row.GetString("State"), row.GetInt32("Quantity") ?? 0);
            if (order is null || !outcomes.TryGetValue(order, out var status))
            {
                audit.Violation("reservation without an order", $"{sku} {row.RowKey} ({state})");
                continue;
            }

            var expected = status == OrderStatus.Completed ? ReservationState.Committed : ReservationState.Released;
            if (state != expected)
            {
                audit.Violation("reservation not settled", $"{sku} {row.RowKey}: {state}, order {status}");
            }

            shipped += state == ReservationState.Committed ? quantity : 0;
        }

        audit.Count("units sold", shipped);
        if (available + shipped != seeded)
        {
            audit.Violation("stock unbalanced", $"{sku}: {available} available + {shipped} shipped != {seeded} seeded");
        }
    }
}
