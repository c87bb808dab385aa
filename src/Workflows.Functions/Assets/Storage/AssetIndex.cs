using Azure;
using Azure.Data.Tables;
using Workflows.Shared.Storage;

namespace Workflows.Assets.Storage;

/// <summary>What <c>GET /api/assets</c> asks for; empty filters match everything.</summary>
public sealed record AssetListQuery(
    IReadOnlyList<AssetStatus> Statuses,
    DateTimeOffset? UploadedFrom,
    DateTimeOffset? UploadedTo,
    string? NamePrefix,
    string? ContentType,
    string? After,
    int PageSize);

/// <summary>One row of the asset list: the asset id, its status as copied, and the upload time it is listed under.</summary>
internal sealed record AssetListRow(string AssetId, string Status, DateTimeOffset ListedAt);

/// <summary>
/// The asset list index (table <c>{AssetsTable}Index</c>): partition <c>assets</c> holds one row per asset, newest
/// upload first (<see cref="NewestFirstIndex"/>), with the columns the list filters on; partition <c>id:{assetId}</c>
/// remembers each asset's list key, so the key stays put however the record changes. Rows are copied from the record
/// after every record write and carry its <c>Timestamp</c>, so an older copy never replaces a newer one.
/// </summary>
internal sealed class AssetIndex(TableClient table)
{
    private const string Listed = "assets";
    private const string PointerRow = "key";
    private const string VersionColumn = "RecordTimestamp";

    public TableClient Table => table;

    /// <summary>Makes the index row of <paramref name="assetId"/> match <paramref name="record"/> (or removes it).</summary>
    public async Task SyncAsync(string assetId, AssetEntity? record, CancellationToken ct)
    {
        var pointer = await table.GetEntityIfExistsAsync<TableEntity>(PointerPartition(assetId), PointerRow, cancellationToken: ct);
        if (record is null)
        {
            if (pointer.HasValue)
            {
                await DeleteIfExistsAsync(Listed, pointer.Value!.GetString("ListKey"), ct);
                await DeleteIfExistsAsync(PointerPartition(assetId), PointerRow, ct);
            }

            return;
        }

        var listedAt = pointer.HasValue
            ? pointer.Value!.GetDateTimeOffset("ListedAt")!.Value
            : record.UploadedAt ?? record.Timestamp ?? DateTimeOffset.UtcNow;
        var listKey = NewestFirstIndex.RowKey(listedAt, assetId);
        if (!pointer.HasValue)
        {
            try
            {
                await table.AddEntityAsync(new TableEntity(PointerPartition(assetId), PointerRow) { ["ListKey"] = listKey, ["ListedAt"] = listedAt }, ct);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                await SyncAsync(assetId, record, ct); // another writer listed it first: use its key
                return;
            }
        }

        var row = new TableEntity(Listed, listKey)
        {
            ["AssetId"] = assetId,
            ["Status"] = record.Status,
            ["NameKey"] = NameKey(record.OriginalName ?? string.Empty),
            ["ContentType"] = record.ContentType,
            ["ListedAt"] = listedAt,
            [VersionColumn] = record.Timestamp ?? DateTimeOffset.MinValue,
        };
        await NewestFirstIndex.WriteUnlessNewerAsync(table, row, VersionColumn, ct);
    }

    /// <summary>
    /// One page of assets, newest upload first, read from their records with <paramref name="find"/> (so never stale).
    /// A listed row whose record changed status or went away since it was copied is rewritten on the way (read repair):
    /// a record write whose index write was lost, e.g. to a crash in between, is listed correctly from the next read on.
    /// </summary>
    public async Task<(IReadOnlyList<(AssetEntity Record, DateTimeOffset ListedAt)> Assets, string? Next)> ListAsync(
        AssetListQuery query, Func<string, CancellationToken, Task<AssetEntity?>> find, CancellationToken ct)
    {
        var (rows, next) = await PageAsync(query, ct);
        var records = await Task.WhenAll(rows.Select(r => find(r.AssetId, ct)));
        List<(AssetEntity, DateTimeOffset)> assets = new(rows.Count);
        foreach (var (row, record) in rows.Zip(records))
        {
            if (record is null || record.Status != row.Status)
            {
                await SyncAsync(row.AssetId, record, ct);
            }

            if (record is not null && (query.Statuses.Count == 0 || query.Statuses.Contains(record.StatusValue)))
            {
                assets.Add((record, row.ListedAt));
            }
        }

        return (assets, next);
    }

    /// <summary>One page of rows, newest first, that match <paramref name="query"/> as the index has them.</summary>
    private async Task<(IReadOnlyList<AssetListRow> Rows, string? Next)> PageAsync(AssetListQuery query, CancellationToken ct)
    {
        List<string> filters = [];
        if (NewestFirstIndex.AnyOf("Status", query.Statuses.Select(s => s.ToString())) is { } statuses)
        {
            filters.Add($"({statuses})");
        }

        if (query.ContentType is { } contentType)
        {
            filters.Add(TableClient.CreateQueryFilter($"ContentType eq {contentType.ToLowerInvariant()}"));
        }

        if (query.NamePrefix is { } prefix)
        {
            var key = NameKey(prefix);
            var end = key[..^1] + (char)(key[^1] + 1);
            filters.Add(TableClient.CreateQueryFilter($"NameKey ge {key} and NameKey lt {end}"));
        }

        var (rows, next) = await NewestFirstIndex.PageAsync(
            table, Listed, query.UploadedFrom, query.UploadedTo, query.After, string.Join(" and ", filters), query.PageSize, ct);
        return (rows.Select(r => new AssetListRow(r.GetString("AssetId"), r.GetString("Status"), r.GetDateTimeOffset("ListedAt")!.Value)).ToList(), next);
    }

    private static string PointerPartition(string assetId) => $"id:{assetId}";

    // Case-insensitive prefix search: the index keeps the name in lower case.
    private static string NameKey(string name) => name.ToLowerInvariant();

    private async Task DeleteIfExistsAsync(string partition, string rowKey, CancellationToken ct)
    {
        try
        {
            await table.DeleteEntityAsync(partition, rowKey, ETag.All, ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already gone.
        }
    }
}
