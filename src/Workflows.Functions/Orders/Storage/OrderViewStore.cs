using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Workflows.Observability;
using Workflows.Shared;

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

    public async Task<OrderView?> FindAsync(string orderId, CancellationToken ct)
    {
        var table = await tables.ViewsAsync(ct);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(orderId, Row, cancellationToken: ct);
        return row.HasValue ? ToView(row.Value!) : null;
    }

    /// <summary>Applies the steps, in order, in one write; null when there are none.</summary>
    public async Task<OrderView?> ApplyAsync(IReadOnlyList<RecordProgressRequest>? progress, CancellationToken ct)
    {
        if (progress is not [var first, ..])
        {
            return null;
        }

        var table = await tables.ViewsAsync(ct);
        while (true)
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(first.OrderId, Row, cancellationToken: ct);
            var current = row.HasValue ? ToView(row.Value!) : Empty(first.OrderId, first.At);
            var applied = row.HasValue ? row.Value!.GetInt32(SequenceColumn) ?? 0 : 0;
            var fresh = progress.Where(p => p.Sequence >= applied).ToList();
            if (fresh.Count == 0)
            {
                return current;
            }

            var next = fresh.Aggregate(current, Apply);
            var sequence = fresh.Max(p => p.Sequence);
            var entity = ToEntity(next);
            entity[SequenceColumn] = sequence;

            // The first write that makes the view final signs it (later writes keep the signature): should its answer be
            // lost, the conflict the SDK's retry meets is recognised as its own write by the signature. A view signed
            // already was final once: when the saga stops again after it (its final publish failed: Compensating, then
            // Failed again), the order is not counted twice.
            var signed = row.HasValue ? row.Value!.GetString(FinishedByColumn) : null;
            var finishing = signed is null && !IsFinal(current.Status) && IsFinal(next.Status);
            var signature = finishing ? Guid.NewGuid().ToString("N") : signed;
            entity[FinishedByColumn] = signature;
            try
            {
                if (row.HasValue)
                {
                    await table.UpdateEntityAsync(entity, row.Value!.ETag, TableUpdateMode.Replace, ct);
                }
                else
                {
                    await table.AddEntityAsync(entity, ct);
                }
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                if (!finishing || await FinishedByAsync(table, first.OrderId, ct) != signature)
                {
                    // Another attempt of the same activity wrote first: apply on top of what it wrote.
                    continue;
                }
            }

            if (finishing)
            {
                // Once per order: a retried or redelivered write (or publish) finds the view final already.
                WorkflowMetrics.OrderFinished($"Order{next.Status}");
            }

            // A retry of this write (same sequence) re-applies the view and so repairs a lost index write.
            await index.WriteAsync(next, sequence, ct);
            return next;
        }
    }

    private static async Task<string?> FinishedByAsync(TableClient table, string orderId, CancellationToken ct)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(orderId, Row, [FinishedByColumn], ct);
        return row.HasValue ? row.Value!.GetString(FinishedByColumn) : null;
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
