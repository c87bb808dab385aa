using Azure;
using Azure.Data.Tables;

namespace Workflows.Orders.Storage;

public sealed record LedgerEntry(string OrderId, string Kind, decimal Amount, string Currency, string ProviderReference, string Key);

/// <summary>
/// Charges and refunds per order (PK order id, RK <c>charge</c> / <c>refund</c>): at most one of each per order, written
/// with Add so a repeated write is a no-op (409 = already recorded).
/// </summary>
public sealed class PaymentLedger(OrderTables tables)
{
    public const string Charge = "charge";
    public const string Refund = "refund";

    public async Task<LedgerEntry?> FindAsync(string orderId, string kind, CancellationToken ct)
    {
        var table = await tables.PaymentsAsync(ct);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(orderId, kind, cancellationToken: ct);
        return row.HasValue ? ToEntry(row.Value!) : null;
    }

    /// <summary>The order's charge and refund, either null when not recorded, in one read (the order's partition holds just these).</summary>
    public async Task<(LedgerEntry? Charge, LedgerEntry? Refund)> FindChargeAndRefundAsync(string orderId, CancellationToken ct)
    {
        var entries = await ListAsync(orderId, ct);
        return (entries.FirstOrDefault(e => e.Kind == Charge), entries.FirstOrDefault(e => e.Kind == Refund));
    }

    /// <summary>Records an entry once; returns the entry that is stored (the earlier one if it already existed).</summary>
    public async Task<LedgerEntry> AddAsync(LedgerEntry entry, DateTimeOffset at, CancellationToken ct)
    {
        var table = await tables.PaymentsAsync(ct);
        var entity = new TableEntity(entry.OrderId, entry.Kind)
        {
            ["Amount"] = Money.ToText(entry.Amount),
            ["Currency"] = entry.Currency,
            ["ProviderReference"] = entry.ProviderReference,
            ["Key"] = entry.Key,
            ["At"] = at,
        };
        try
        {
            await table.AddEntityAsync(entity, ct);
            return entry;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return (await FindAsync(entry.OrderId, entry.Kind, ct))!;
        }
    }

    /// <summary>Every entry of an order (one partition query).</summary>
    public async Task<IReadOnlyList<LedgerEntry>> ListAsync(string orderId, CancellationToken ct)
    {
        var table = await tables.PaymentsAsync(ct);
        List<LedgerEntry> entries = [];
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == orderId, cancellationToken: ct))
        {
            entries.Add(ToEntry(row));
        }

        return entries;
    }

    private static LedgerEntry ToEntry(TableEntity row) => new(
        row.PartitionKey, row.RowKey, Money.Parse(row.GetString("Amount")), row.GetString("Currency"),
        row.GetString("ProviderReference"), row.GetString("Key"));
}
