using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace Workflows.Shared.Storage;

/// <summary>
/// Row keys that sort newest first within a partition (<c>{ticks to DateTime.MaxValue:D19}:{id}</c>), and the one query
/// both list indexes (orders, assets) page with. A page ends at its last row key, and the next page starts after it:
/// rows added meanwhile are newer, so they sort before that position, and paging never repeats or skips a row.
/// </summary>
internal static class NewestFirstIndex
{
    private const int TicksDigits = 19;

    public static string RowKey(DateTimeOffset at, string id) =>
        $"{Inverted(at).ToString("D19", CultureInfo.InvariantCulture)}:{id}";

    /// <summary>True for a row key this class makes whose id satisfies <paramref name="isValidId"/>.</summary>
    public static bool IsRowKey(string position, Func<string, bool> isValidId) =>
        position.Length > TicksDigits + 1
        && position[TicksDigits] == ':'
        && position.AsSpan(0, TicksDigits).ContainsAnyExceptInRange('0', '9') == false
        && isValidId(position[(TicksDigits + 1)..]);

    /// <summary>
    /// Reads up to <paramref name="pageSize"/> rows of <paramref name="partition"/> newest first, after
    /// <paramref name="after"/> (a row key), created in [<paramref name="from"/>, <paramref name="to"/>), that also match
    /// <paramref name="filter"/> (an OData filter built with <see cref="TableClient.CreateQueryFilter(FormattableString)"/>).
    /// Returns the rows and the position of the next page (null on the last).
    /// </summary>
    public static async Task<(IReadOnlyList<TableEntity> Rows, string? Next)> PageAsync(
        TableClient table, string partition, DateTimeOffset? from, DateTimeOffset? to, string? after, string? filter,
        int pageSize, CancellationToken ct)
    {
        List<string> clauses = [TableClient.CreateQueryFilter($"PartitionKey eq {partition}")];
        if (after is not null)
        {
            clauses.Add(TableClient.CreateQueryFilter($"RowKey gt {after}"));
        }

        if (to is { } end)
        {
            // Newer than 'to' sorts first: start at the first key of the tick just before it.
            clauses.Add(TableClient.CreateQueryFilter($"RowKey ge {Bound(Inverted(end) + 1)}"));
        }

        if (from is { } start)
        {
            clauses.Add(TableClient.CreateQueryFilter($"RowKey lt {Bound(Inverted(start) + 1)}"));
        }

        if (!string.IsNullOrEmpty(filter))
        {
            clauses.Add($"({filter})");
        }

        // One row more than the page tells whether there is a next page without returning an empty one.
        List<TableEntity> rows = new(pageSize + 1);
        await foreach (var row in table.QueryAsync<TableEntity>(string.Join(" and ", clauses), Math.Min(pageSize + 1, 1000), cancellationToken: ct))
        {
            rows.Add(row);
            if (rows.Count > pageSize)
            {
                break;
            }
        }

        if (rows.Count <= pageSize)
        {
            return (rows, null);
        }

        rows.RemoveAt(pageSize);
        return (rows, rows[^1].RowKey);
    }

    /// <summary>
    /// Adds or replaces <paramref name="row"/> unless the stored row's <paramref name="versionColumn"/> is newer (a
    /// later write already landed), conditional on the ETag read, so concurrent writers of one row never go back.
    /// </summary>
    public static Task WriteUnlessNewerAsync(TableClient table, TableEntity row, string versionColumn, CancellationToken ct) =>
        WriteUnlessNewerAsync(table, row, versionColumn, known: null, ct);

    /// <summary>
    /// As above, starting from <paramref name="known"/> (the row as the caller last wrote it, or
    /// <see cref="KnownRow.Absent"/>) instead of a read: the write is conditional on it all the same, and a stale
    /// guess fails its condition and is read. Versions only grow, so a known version newer than the row's skips it.
    /// Returns the row as written (its new ETag), or null when a newer one was there (or storage sent no ETag).
    /// </summary>
    public static async Task<KnownRow?> WriteUnlessNewerAsync(
        TableClient table, TableEntity row, string versionColumn, KnownRow? known, CancellationToken ct)
    {
        var version = (IComparable)row[versionColumn];
        while (true)
        {
            KnownRow? stored = known;
            known = null;
            if (stored is null)
            {
                var read = await table.GetEntityIfExistsAsync<TableEntity>(row.PartitionKey, row.RowKey, [versionColumn], ct);
                stored = read.HasValue
                    ? new KnownRow(read.Value!.ETag, read.Value.TryGetValue(versionColumn, out var value) ? value : null)
                    : KnownRow.Absent;
            }

            if (stored.Value.Version is { } storedVersion && version.CompareTo(storedVersion) < 0)
            {
                return null;
            }

            try
            {
                var response = await (stored.Value.Exists
                    ? table.UpdateEntityAsync(row, stored.Value.ETag, TableUpdateMode.Replace, ct)
                    : table.AddEntityAsync(row, ct));
                return response.Headers.ETag is { } etag ? new KnownRow(etag, version) : null;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another writer got there between our read (or guess) and write: compare again.
            }
        }
    }

    /// <summary>Filter for any of <paramref name="values"/> in <paramref name="column"/>; null when there are none.</summary>
    public static string? AnyOf(string column, IEnumerable<string> values)
    {
        var clauses = values.Select(v => $"{column} eq {TableClient.CreateQueryFilter($"{v}")}").ToList();
        return clauses.Count == 0 ? null : string.Join(" or ", clauses);
    }

    private static long Inverted(DateTimeOffset at) => DateTime.MaxValue.Ticks - at.UtcTicks;

    private static string Bound(long inverted) => inverted.ToString("D19", CultureInfo.InvariantCulture);
}

/// <summary>A table row's ETag and version column as last seen or written; <see cref="Absent"/>: no row.</summary>
internal readonly record struct KnownRow(ETag ETag, object? Version)
{
    public static KnownRow Absent => default;

    public bool Exists => ETag != default;
}
