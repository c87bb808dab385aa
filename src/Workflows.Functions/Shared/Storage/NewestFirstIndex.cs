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
    public static async Task WriteUnlessNewerAsync(TableClient table, TableEntity row, string versionColumn, CancellationToken ct)
    {
        var version = (IComparable)row[versionColumn];
        while (true)
        {
            var stored = await table.GetEntityIfExistsAsync<TableEntity>(row.PartitionKey, row.RowKey, [versionColumn], ct);
            if (stored.HasValue && stored.Value!.TryGetValue(versionColumn, out var storedVersion) && version.CompareTo(storedVersion) < 0)
            {
                return;
            }

            try
            {
                await (stored.HasValue
                    ? table.UpdateEntityAsync(row, stored.Value!.ETag, TableUpdateMode.Replace, ct)
                    : table.AddEntityAsync(row, ct));
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another writer got there between our read and write: compare again.
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
