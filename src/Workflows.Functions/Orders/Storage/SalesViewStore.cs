using Azure;
using Azure.Data.Tables;

namespace Workflows.Orders.Storage;

public sealed record SkuSales(string Sku, int UnitsSold, decimal Revenue, int Orders);

/// <summary>
/// Sales per SKU (PK SKU, RK <c>total</c>), maintained from OrderCompleted events. Each event is applied exactly once:
/// the total is updated under its ETag in the same transaction that adds the marker row <c>event|{eventId}</c>, so a
/// redelivered event fails on the marker (409) and changes nothing.
/// </summary>
public sealed class SalesViewStore(OrderTables tables)
{
    private const string TotalRow = "total";

    /// <summary>Applies one SKU's share of an event; false when that event was already applied.</summary>
    public async Task<bool> ApplyAsync(string eventId, string sku, int units, decimal revenue, CancellationToken ct)
    {
        var table = await tables.SalesAsync(ct);
        var marker = new TableEntity(sku, $"event|{eventId}");
        for (var attempt = 1; ; attempt++)
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(sku, TotalRow, cancellationToken: ct);
            var total = row.HasValue ? row.Value! : new TableEntity(sku, TotalRow) { ["UnitsSold"] = 0, ["Revenue"] = "0", ["Orders"] = 0 };
            total["UnitsSold"] = (total.GetInt32("UnitsSold") ?? 0) + units;
            total["Revenue"] = Money.ToText(Money.Parse(total.GetString("Revenue")) + revenue);
            total["Orders"] = (total.GetInt32("Orders") ?? 0) + 1;
            TableTransactionAction write = row.HasValue
                ? new(TableTransactionActionType.UpdateReplace, total, row.Value!.ETag)
                : new(TableTransactionActionType.Add, total);
            try
            {
                await table.SubmitTransactionAsync([new(TableTransactionActionType.Add, marker), write], ct);
                return true;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
            {
                if (await table.GetEntityIfExistsAsync<TableEntity>(sku, marker.RowKey, cancellationToken: ct) is { HasValue: true })
                {
                    return false;
                }

                await Task.Delay(Random.Shared.Next(1, 10 * Math.Min(attempt, 10)), ct);
            }
        }
    }

    public async Task<SkuSales?> FindAsync(string sku, CancellationToken ct)
    {
        var table = await tables.SalesAsync(ct);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(sku, TotalRow, cancellationToken: ct);
        return row.HasValue
            ? new SkuSales(sku, row.Value!.GetInt32("UnitsSold") ?? 0, Money.Parse(row.Value.GetString("Revenue")), row.Value.GetInt32("Orders") ?? 0)
            : null;
    }
}
