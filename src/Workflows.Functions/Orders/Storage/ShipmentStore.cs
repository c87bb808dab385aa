using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace Workflows.Orders.Storage;

public sealed record ShipmentRecord(string OrderId, string Warehouse, string Status, string TrackingNumber, string Key);

/// <summary>Shipments per order and warehouse (PK order id, RK warehouse); status <c>Created</c> or <c>Cancelled</c>.</summary>
public sealed class ShipmentStore(OrderTables tables)
{
    public const string Created = "Created";
    public const string Cancelled = "Cancelled";

    public async Task<ShipmentRecord?> FindAsync(string orderId, string warehouse, CancellationToken ct)
    {
        var table = await tables.ShipmentsAsync(ct);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(orderId, warehouse, cancellationToken: ct);
        return row.HasValue ? ToRecord(row.Value!) : null;
    }

    /// <summary>Records a created shipment once (409 = already recorded: the stored one wins).</summary>
    public async Task<ShipmentRecord> AddAsync(
        ShipmentRecord shipment, IReadOnlyList<StockAllocation> items, DateTimeOffset at, CancellationToken ct)
    {
        var table = await tables.ShipmentsAsync(ct);
        var entity = new TableEntity(shipment.OrderId, shipment.Warehouse)
        {
            ["Status"] = shipment.Status,
            ["TrackingNumber"] = shipment.TrackingNumber,
            ["Key"] = shipment.Key,
            ["Items"] = JsonSerializer.Serialize(items),
            ["CreatedAt"] = at,
        };
        try
        {
            await table.AddEntityAsync(entity, ct);
            return shipment;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return (await FindAsync(shipment.OrderId, shipment.Warehouse, ct))!;
        }
    }

    /// <summary>Marks a shipment cancelled, creating a Cancelled tombstone when none was recorded (so a late create sees it).</summary>
    public async Task MarkCancelledAsync(string orderId, string warehouse, DateTimeOffset at, CancellationToken ct)
    {
        var table = await tables.ShipmentsAsync(ct);
        var entity = new TableEntity(orderId, warehouse) { ["Status"] = Cancelled, ["CancelledAt"] = at };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Merge, ct);
    }

    public async Task<IReadOnlyList<ShipmentRecord>> ListAsync(string orderId, CancellationToken ct)
    {
        var table = await tables.ShipmentsAsync(ct);
        List<ShipmentRecord> shipments = [];
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == orderId, cancellationToken: ct))
        {
            shipments.Add(ToRecord(row));
        }

        return shipments;
    }

    private static ShipmentRecord ToRecord(TableEntity row) => new(
        row.PartitionKey, row.RowKey, row.GetString("Status"), row.GetString("TrackingNumber") ?? "", row.GetString("Key") ?? "");
}
