using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Workflows.Observability;
using Workflows.Shared;
using Workflows.Shared.Storage;

namespace Workflows.Orders.Storage;

public sealed record OrderStep(string Step, DateTime At);

/// <summary>The order as clients read it (materialized by the saga, independent of the custom status size).</summary>
public sealed record OrderView(
    string Id,
    OrderStatus Status,
    string? Currency,
    decimal? Total,
    IReadOnlyList<PricedLine> Lines,
    IReadOnlyList<OrderStep> Steps,
    IReadOnlyList<string> CompensationsRun,
    IReadOnlyList<CompensationFailure> OutstandingCompensations,
    string? FailureReason,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    string? RequestFingerprint = null);

/// <summary>
/// The order view table (PK order id, RK <c>view</c>). Only the order's own saga writes it, its latest steps at a time;
/// applying the same progress twice leaves the same view (steps are keyed by name and orchestration time), and a step
/// older than the last one applied (a late duplicate execution of an earlier write) changes nothing. Each write is
/// copied into the order list index after it, under the sequence number of its last step. The first write that makes
/// the view final counts the order in <see cref="WorkflowMetrics.OrderFinished"/>, also when its answer was lost (it
/// signs the row, so the conflict its retry meets is known as its own write), and only it (the signature stays).
/// </summary>
public sealed class OrderViewStore(OrderTables tables, OrderIndexStore index)
{
    private const string Row = "view";
    private const string SequenceColumn = "Sequence";
    private const string FinishedByColumn = "FinishedBy";
    private readonly RecentWrites<string, StoredView> _recent = new(10_000);

    public async Task<OrderView?> FindAsync(string orderId, CancellationToken ct) =>
        (await ReadAsync(await tables.ViewsAsync(ct), orderId, ct)).View;

    /// <summary>
    /// Applies the steps, in order, in one write; null when there are none. The write is conditional on the row it
    /// builds on: the one this process wrote last for the order when it remembers it (<see cref="StoredView"/>), none
    /// for the saga's first write, else the row read; a stale guess fails its condition and the row is read. Steps
    /// older than the row (a late duplicate) change nothing, and the answer is then the view as stored, read.
    /// </summary>
    public async Task<OrderView?> ApplyAsync(IReadOnlyList<RecordProgressRequest>? progress, CancellationToken ct)
    {
        if (progress is not [var first, ..])
        {
            return null;
        }

        var table = await tables.ViewsAsync(ct);
        var guess = _recent.TryGet(first.OrderId, out var remembered) ? remembered
            : first.Sequence == 1 ? StoredView.None
            : null;
        while (true)
        {
            var guessed = guess is not null;
            var stored = guess ?? await ReadAsync(table, first.OrderId, ct);
            guess = null;
            var current = stored.View ?? Empty(first.OrderId, first.At);
            var fresh = progress.Where(p => p.Sequence >= stored.Sequence).ToList();
            if (fresh.Count == 0)
            {
                if (guessed)
                {
                    // A late duplicate of an earlier write: answer the view as stored, which another process may have
                    // moved on since this one's last write (the only read this costs; the saga's own path never comes here).
                    continue;
                }

                return current;
            }

            var next = fresh.Aggregate(current, Apply);
            var sequence = fresh.Max(p => p.Sequence);
            var entity = ToEntity(next);
            entity[SequenceColumn] = sequence;

            // The first write that makes the view final signs it (later writes keep the signature): should its answer be
            // lost, the conflict the SDK's retry meets is recognised as its own write by the signature. A view signed
            // already was final once: when the saga writes it again (its final publish failed: the park and the
            // operator's resume are recorded, then the final status with the retried publish), the order is not counted twice.
            var finishing = stored.FinishedBy is null && !IsFinal(current.Status) && IsFinal(next.Status);
            var signature = finishing ? Guid.NewGuid().ToString("N") : stored.FinishedBy;
            entity[FinishedByColumn] = signature;
            ETag? written;
            try
            {
                var response = await (stored.View is not null
                    ? table.UpdateEntityAsync(entity, stored.ETag, TableUpdateMode.Replace, ct)
                    : table.AddEntityAsync(entity, ct));
                written = response.Headers.ETag;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                if (!finishing || await FinishedByAsync(table, first.OrderId, ct) != signature)
                {
                    // Another attempt of the same activity wrote first (or the row was not as remembered): apply on top
                    // of what is there.
                    continue;
                }

                written = null; // our own write, whose answer (and new ETag) was lost
            }

            // A final view is not kept: the saga seldom writes after it (a failed final publish), and the memory then
            // holds the orders in flight rather than the last 10,000 finished ones, each with all its lines.
            if (written is { } etag && !IsFinal(next.Status))
            {
                _recent.Set(first.OrderId, new StoredView(next, sequence, signature, etag));
            }
            else
            {
                _recent.Forget(first.OrderId);
            }

            if (finishing)
            {
                // Once per order: a retried or redelivered write (or publish) finds the view final already.
                WorkflowMetrics.OrderFinished($"Order{next.Status}");
            }

            // A retry of this write (same sequence) re-applies the view and so repairs a lost index write. The index is
            // written after the view, so no earlier write made index rows in partitions the view built on did not have.
            IReadOnlySet<string>? writtenBefore = written is null ? null
                : stored.View is { } before ? OrderIndexStore.Partitions(before)
                : new HashSet<string>();
            await index.WriteAsync(next, sequence, writtenBefore, ct);
            return next;
        }
    }

    private static async Task<StoredView> ReadAsync(TableClient table, string orderId, CancellationToken ct)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(orderId, Row, cancellationToken: ct);
        return row.HasValue
            ? new StoredView(ToView(row.Value!), row.Value!.GetInt32(SequenceColumn) ?? 0, row.Value.GetString(FinishedByColumn), row.Value.ETag)
            : StoredView.None;
    }

    private static async Task<string?> FinishedByAsync(TableClient table, string orderId, CancellationToken ct)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(orderId, Row, [FinishedByColumn], ct);
        return row.HasValue ? row.Value!.GetString(FinishedByColumn) : null;
    }

    /// <summary>An order's view row as stored (or as this process last wrote it): <see cref="None"/> when there is none.</summary>
    private sealed record StoredView(OrderView? View, int Sequence, string? FinishedBy, ETag ETag)
    {
        public static readonly StoredView None = new(null, 0, null, default);
    }

    private static bool IsFinal(OrderStatus status) => status is OrderStatus.Completed or OrderStatus.Cancelled or OrderStatus.Failed;

    private static OrderView Apply(OrderView view, RecordProgressRequest p)
    {
        var step = new OrderStep(p.Step, p.At);
        return view with
        {
            Status = p.Status,
            Currency = p.Priced?.Currency ?? view.Currency,
            Total = p.Priced?.Total ?? view.Total,
            Lines = p.Priced?.Lines ?? view.Lines,
            Steps = view.Steps.Contains(step) ? view.Steps : [.. view.Steps, step],
            CompensationsRun = p.CompensationsRun ?? view.CompensationsRun,
            OutstandingCompensations = p.OutstandingCompensations ?? view.OutstandingCompensations,
            FailureReason = p.Reason ?? view.FailureReason,
            RequestFingerprint = p.RequestFingerprint ?? view.RequestFingerprint,
            UpdatedAt = p.At > view.UpdatedAt ? p.At : view.UpdatedAt,
        };
    }

    private static OrderView Empty(string orderId, DateTime at) =>
        new(orderId, OrderStatus.Received, null, null, [], [], [], [], null, at, at);

    private static TableEntity ToEntity(OrderView v) => new(v.Id, Row)
    {
        ["Status"] = v.Status.ToString(),
        ["Currency"] = v.Currency,
        ["Total"] = v.Total is { } total ? Money.ToText(total) : null,
        ["Lines"] = JsonSerializer.Serialize(v.Lines),
        ["Steps"] = JsonSerializer.Serialize(v.Steps),
        ["CompensationsRun"] = JsonSerializer.Serialize(v.CompensationsRun),
        ["Outstanding"] = JsonSerializer.Serialize(v.OutstandingCompensations),
        ["FailureReason"] = v.FailureReason,
        ["CreatedAt"] = new DateTimeOffset(DateTime.SpecifyKind(v.CreatedAt, DateTimeKind.Utc)),
        ["UpdatedAt"] = new DateTimeOffset(DateTime.SpecifyKind(v.UpdatedAt, DateTimeKind.Utc)),
        ["RequestFingerprint"] = v.RequestFingerprint,
    };

    private static OrderView ToView(TableEntity e) => new(
        e.PartitionKey,
        Enum.Parse<OrderStatus>(e.GetString("Status")),
        e.GetString("Currency"),
        e.GetString("Total") is { } total ? Money.Parse(total) : null,
        Json<List<PricedLine>>(e, "Lines"),
        Json<List<OrderStep>>(e, "Steps"),
        Json<List<string>>(e, "CompensationsRun"),
        Json<List<CompensationFailure>>(e, "Outstanding"),
        e.GetString("FailureReason"),
        e.GetDateTimeOffset("CreatedAt")!.Value.UtcDateTime,
        e.GetDateTimeOffset("UpdatedAt")!.Value.UtcDateTime,
        e.GetString("RequestFingerprint"));

    private static T Json<T>(TableEntity e, string name) where T : new() =>
        e.GetString(name) is { Length: > 0 } json ? JsonSerializer.Deserialize<T>(json) ?? new T() : new T();
}
