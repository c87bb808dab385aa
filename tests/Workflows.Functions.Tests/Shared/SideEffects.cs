using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace Workflows.Tests.Shared;

/// <summary>One recorded side effect, in the order it happened.</summary>
public sealed record SideEffect(string Kind, string Name);

/// <summary>
/// Records side effects of test activities in an Azurite table, one row per effect, with a sequence number so the order
/// they happened in can be read back: wall-clock ticks, made strictly increasing within a process, so effects recorded by
/// a child app process (<c>ChildProcessApp</c>) order correctly too.
/// </summary>
public static class SideEffects
{
    private static long _sequence;

    /// <summary>Records one more effect (e.g. every attempt).</summary>
    public static Task RecordAsync(TableClient table, string scope, string kind, string name, CancellationToken cancellationToken = default) =>
        RecordOnceAsync(table, scope, Guid.NewGuid().ToString("N"), kind, name, cancellationToken);

    /// <summary>Records an effect under a deterministic key: a second call with the same key is a no-op (409 = done).</summary>
    public static async Task<bool> RecordOnceAsync(
        TableClient table, string scope, string key, string kind, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            await table.AddEntityAsync(
                new TableEntity(scope, key)
                {
                    ["Kind"] = kind,
                    ["Name"] = name,
                    ["Sequence"] = NextSequence(),
                },
                cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    private static long NextSequence()
    {
        while (true)
        {
            var last = Interlocked.Read(ref _sequence);
            var next = Math.Max(DateTime.UtcNow.Ticks, last + 1);
            if (Interlocked.CompareExchange(ref _sequence, next, last) == last)
            {
                return next;
            }
        }
    }

    public static async Task<IReadOnlyList<SideEffect>> ReadAsync(TableClient table, string scope, CancellationToken cancellationToken = default)
    {
        List<TableEntity> rows = [];
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == scope, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows.OrderBy(r => r.GetInt64("Sequence")).Select(r => new SideEffect(r.GetString("Kind"), r.GetString("Name"))).ToList();
    }

    public static async Task<int> CountAsync(TableClient table, string scope, string kind, string name, CancellationToken cancellationToken = default) =>
        (await ReadAsync(table, scope, cancellationToken)).Count(e => e.Kind == kind && e.Name == name);

    public static string Format(IEnumerable<SideEffect> effects) =>
        string.Join(", ", effects.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Kind}:{e.Name}")));
}
