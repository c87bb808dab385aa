using Azure.Data.Tables;
using Workflows.Shared.Storage;

namespace Workflows.Orders.Storage;

/// <summary>One order in the list (<c>GET /api/orders</c>).</summary>
public sealed record OrderSummary(
    string Id,
    OrderStatus Status,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    string? Currency,
    decimal? Total,
    IReadOnlyList<string> Skus,
    int Lines,
    OrderStatus? ParkedIn = null);

/// <summary>What <c>GET /api/orders</c> asks for; empty filters match everything. A status matches an order in it or parked in it.</summary>
public sealed record OrderListQuery(
    IReadOnlyList<OrderStatus> Statuses, DateTimeOffset? CreatedFrom, DateTimeOffset? CreatedTo, string? Sku, string? After, int PageSize);

/// <summary>
/// The order list index (table <c>{prefix}Index</c>), written with every order-view write. Rows sort newest first
/// (<see cref="NewestFirstIndex"/>): partition <c>orders</c> holds every order, partition <c>sku:{SKU}</c> the orders
/// with that SKU, so each filter combination is one partition range query with a status filter, never a scan of the
/// task hub or of the views. A row carries the <c>Sequence</c> of the view write it copies and is only replaced by a
/// later one, so a late duplicate of an earlier write cannot move the list back (as the view itself guards). A row
/// also says where the order is parked for an operator (<see cref="ParkedIn"/>), so a status filter finds every order
/// waiting there, also a Failed or Cancelled one parked in CompletionFailed, in the same query.
/// </summary>
public sealed class OrderIndexStore(OrderTables tables)
{
    private const string AllOrders = "orders";
    private const string SequenceColumn = "Sequence";
    private const string StatusColumn = "Status";
    private const string ParkedInColumn = "ParkedIn";
    private readonly RecentWrites<(string Partition, string Row), KnownRow> _recent = new(10_000);

    public static string SkuPartition(string sku) => $"sku:{sku}";

    /// <summary>Copies <paramref name="view"/>, as of view write <paramref name="sequence"/>, into every row of the order.</summary>
    public Task WriteAsync(OrderView view, int sequence, CancellationToken ct) => WriteAsync(view, sequence, null, ct);

    /// <summary>
    /// Copies <paramref name="view"/>, as of view write <paramref name="sequence"/>, into every row of the order. Rows this
    /// process wrote last are updated on their remembered ETag, and rows in a partition of no earlier view write
    /// (<paramref name="writtenBefore"/>, when known) are added, both without a read first; a stale guess fails its
    /// condition and is read (<see cref="NewestFirstIndex.WriteUnlessNewerAsync(TableClient, TableEntity, string, KnownRow?, CancellationToken)"/>).
    /// </summary>
    public async Task WriteAsync(OrderView view, int sequence, IReadOnlySet<string>? writtenBefore, CancellationToken ct)
    {
        var table = await tables.IndexAsync(ct);
        var rowKey = NewestFirstIndex.RowKey(DateTime.SpecifyKind(view.CreatedAt, DateTimeKind.Utc), view.Id);
        await Task.WhenAll(Partitions(view).Select(async partition =>
        {
            var key = (partition, rowKey);
            KnownRow? known = _recent.TryGet(key, out var row) ? row
                : writtenBefore is not null && !writtenBefore.Contains(partition) ? KnownRow.Absent
                : null;
            if (await NewestFirstIndex.WriteUnlessNewerAsync(table, ToEntity(partition, rowKey, view, sequence), SequenceColumn, known, ct) is { } written)
            {
                _recent.Set(key, written);
            }
            else
            {
                _recent.Forget(key);
            }
        }));
    }

    /// <summary>The index partitions that hold a row of <paramref name="view"/>: all orders, and each of its SKUs.</summary>
    public static IReadOnlySet<string> Partitions(OrderView view) =>
        view.Lines.Select(l => SkuPartition(l.Sku)).Prepend(AllOrders).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The status an order waits in for an operator when the view's last step is that park (the saga records a park as a
    /// step named after it), else null: CompensationFailed, or CompletionFailed, where a decided Failed or Cancelled
    /// order keeps its status (its event could not be published). The operator's resume (or the next step) ends it.
    /// </summary>
    public static OrderStatus? ParkedIn(OrderView view) =>
        view.Steps is [.., var last] && Enum.TryParse<OrderStatus>(last.Step, out var parked)
        && parked is OrderStatus.CompletionFailed or OrderStatus.CompensationFailed ? parked : null;

    public async Task<(IReadOnlyList<OrderSummary> Orders, string? Next)> ListAsync(OrderListQuery query, CancellationToken ct)
    {
        var table = await tables.IndexAsync(ct);
        var partition = query.Sku is null ? AllOrders : SkuPartition(query.Sku);
        var (rows, next) = await NewestFirstIndex.PageAsync(
            table, partition, query.CreatedFrom, query.CreatedTo, query.After, StatusFilter(query.Statuses), query.PageSize, ct);
        return (rows.Select(ToSummary).ToList(), next);
    }

    /// <summary>
    /// An order in one of <paramref name="statuses"/> or parked in one; null for none or all. Azure allows 15 comparisons
    /// in a filter and the partition and row-key range take up to 4, so a long list is written as the statuses it leaves
    /// out: at most 6 statuses either way, plus the two parks.
    /// </summary>
    private static string? StatusFilter(IReadOnlyList<OrderStatus> statuses)
    {
        var wanted = statuses.Distinct().ToList();
        var others = Enum.GetValues<OrderStatus>().Except(wanted).ToList();
        if (wanted.Count == 0 || others.Count == 0)
        {
            return null;
        }

        var inStatus = wanted.Count <= others.Count
            ? NewestFirstIndex.AnyOf(StatusColumn, wanted.Select(s => s.ToString()))
            : string.Join(" and ", others.Select(s => $"{StatusColumn} ne {TableClient.CreateQueryFilter($"{s.ToString()}")}"));
        var parks = wanted.Where(s => s is OrderStatus.CompletionFailed or OrderStatus.CompensationFailed).Select(s => s.ToString());
        return NewestFirstIndex.AnyOf(ParkedInColumn, parks) is { } parked ? $"({inStatus}) or {parked}" : inStatus;
    }

    private static TableEntity ToEntity(string partition, string rowKey, OrderView v, int sequence) => new(partition, rowKey)
    {
        ["OrderId"] = v.Id,
        [StatusColumn] = v.Status.ToString(),
        [ParkedInColumn] = ParkedIn(v)?.ToString(),
        ["CreatedAt"] = new DateTimeOffset(DateTime.SpecifyKind(v.CreatedAt, DateTimeKind.Utc)),
        ["UpdatedAt"] = new DateTimeOffset(DateTime.SpecifyKind(v.UpdatedAt, DateTimeKind.Utc)),
        ["Currency"] = v.Currency,
        ["Total"] = v.Total is { } total ? Money.ToText(total) : null,
        ["Skus"] = string.Join(',', v.Lines.Select(l => l.Sku).Distinct(StringComparer.Ordinal)),
        ["Lines"] = v.Lines.Count,
        [SequenceColumn] = sequence,
    };

    /// <summary>A row written before rows carried <c>ParkedIn</c> has none: its status says so when it is the park itself.</summary>
    private static OrderSummary ToSummary(TableEntity e)
    {
        var status = Enum.Parse<OrderStatus>(e.GetString(StatusColumn));
        return new(
            e.GetString("OrderId"),
            status,
            e.GetDateTimeOffset("CreatedAt")!.Value.UtcDateTime,
            e.GetDateTimeOffset("UpdatedAt")!.Value.UtcDateTime,
            e.GetString("Currency"),
            e.GetString("Total") is { } total ? Money.Parse(total) : null,
            e.GetString("Skus") is { Length: > 0 } skus ? skus.Split(',') : [],
            e.GetInt32("Lines") ?? 0,
            e.GetString(ParkedInColumn) is { } parked ? Enum.Parse<OrderStatus>(parked)
            : status is OrderStatus.CompletionFailed or OrderStatus.CompensationFailed ? status
            : null);
    }
}
