using Azure;
using Azure.Data.Tables;

namespace Workflows.Orders.Storage;

/// <summary>Stock of one SKU in one warehouse: PK SKU, RK <c>stock|{warehouse}</c>.</summary>
public sealed class StockEntity : ITableEntity
{
    public const string RowPrefix = "stock|";
    public const string RowPrefixEnd = "stock}"; // '}' sorts right after '|': the range holds exactly the stock rows

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public string Warehouse { get; set; } = "";
    public int Available { get; set; }
    public int Reserved { get; set; }

    public static StockEntity Create(string sku, string warehouse, int available) => new()
    {
        PartitionKey = sku,
        RowKey = RowPrefix + warehouse,
        Warehouse = warehouse,
        Available = available,
    };
}

/// <summary>One order's reservation of a SKU in one warehouse: PK SKU, RK <c>reservation|{orderId}|{warehouse}</c>.</summary>
public sealed class ReservationEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public string OrderId { get; set; } = "";
    public string Warehouse { get; set; } = "";
    public int Quantity { get; set; }
    public string State { get; set; } = ReservationState.Reserved;

    public static (string From, string To) RowRange(string orderId) =>
        ($"reservation|{orderId}|", $"reservation|{orderId}}}");

    /// <summary>A copy of this row in state <paramref name="state"/> (this one stays as read, for a retry to build on).</summary>
    public ReservationEntity MovedTo(string state) => new()
    {
        PartitionKey = PartitionKey,
        RowKey = RowKey,
        OrderId = OrderId,
        Warehouse = Warehouse,
        Quantity = Quantity,
        State = state,
    };

    public static ReservationEntity Create(string orderId, string sku, StockAllocation allocation) => new()
    {
        PartitionKey = sku,
        RowKey = $"reservation|{orderId}|{allocation.Warehouse}",
        OrderId = orderId,
        Warehouse = allocation.Warehouse,
        Quantity = allocation.Quantity,
    };
}

/// <summary>
/// Which came first for one order and SKU, the reserve or a release that found nothing to release: PK SKU, RK
/// <c>claim|{orderId}</c>. Both add this row (the reserve in the batch that adds its reservation rows), so exactly one of
/// them gets it; the other gets 409 and yields. A late reserve (an at-least-once redelivery after the saga compensated)
/// thus finds the order released and reserves nothing.
/// </summary>
public sealed class ReservationClaimEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public string State { get; set; } = ReservationState.Reserved;

    public const string RowPrefix = "claim|";

    public static string Row(string orderId) => RowPrefix + orderId;

    public static ReservationClaimEntity Create(string orderId, string sku, string state) =>
        new() { PartitionKey = sku, RowKey = Row(orderId), State = state };
}

/// <summary>Reservation lifecycle: Reserved → Committed (shipped) or Released; Committed → Released (restocked).</summary>
public static class ReservationState
{
    public const string Reserved = "Reserved";
    public const string Committed = "Committed";
    public const string Released = "Released";

    public static bool CanMove(string from, string to) => (from, to) switch
    {
        (Reserved, Committed) => true,
        (Reserved, Released) => true,
        (Committed, Released) => true,
        _ => false,
    };
}

/// <summary>Chooses warehouses for a line: one warehouse when one can serve it all, else the fullest first.</summary>
public static class StockAllocator
{
    /// <summary>The plan, or null when all warehouses together hold less than <paramref name="quantity"/>.</summary>
    public static IReadOnlyList<StockAllocation>? Allocate(string sku, int quantity, IReadOnlyList<StockEntity> stock)
    {
        if (Available(stock) < quantity)
        {
            return null;
        }

        var byAvailable = stock.Where(s => s.Available > 0)
            .OrderByDescending(s => s.Available).ThenBy(s => s.Warehouse, StringComparer.Ordinal).ToList();
        List<StockAllocation> plan = [];
        var remaining = quantity;
        foreach (var row in byAvailable.TakeWhile(_ => remaining > 0))
        {
            var take = Math.Min(row.Available, remaining);
            plan.Add(new StockAllocation(sku, row.Warehouse, take));
            remaining -= take;
        }

        return plan;
    }

    public static int Available(IReadOnlyList<StockEntity> stock) => stock.Where(s => s.Available > 0).Sum(s => s.Available);
}
