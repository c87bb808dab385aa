using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Workflows.Observability;

/// <summary>
/// What operators chart and alert on (meter <c>Workflows</c>). Orchestrator code records only when not replaying, so a
/// replay never counts twice; activities record after their side effect.
/// </summary>
public static class WorkflowMetrics
{
    public static readonly Meter Meter = new(WorkflowTelemetry.SourceName);

    private static readonly Counter<long> OrdersFinished =
        Meter.CreateCounter<long>("workflows.orders.finished", "{order}", "Orders that reached a final state, by outcome.");

    private static readonly Counter<long> Compensations =
        Meter.CreateCounter<long>("workflows.compensations", "{compensation}", "Compensations run, by activity and result (succeeded, failed).");

    private static readonly Counter<long> AssetsFinished =
        Meter.CreateCounter<long>("workflows.assets.finished", "{asset}", "Assets that reached Ready or Failed, by outcome.");

    private static readonly Counter<long> OrphanRenditions =
        Meter.CreateCounter<long>("workflows.renditions.orphans_removed", "{blob}", "Rendition blobs of a failed, closed or deleted asset removed by the sweep.");

    private static readonly Histogram<double> RenditionDuration =
        Meter.CreateHistogram<double>("workflows.rendition.duration", "ms", "Time to produce one rendition (decode share included for the first size of a chain), by rendition.");

    private static readonly Histogram<double> UploadToReady =
        Meter.CreateHistogram<double>("workflows.assets.upload_to_ready", "s", "From upload to Ready, per asset.");

    public static void OrderFinished(string outcome) => OrdersFinished.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public static void CompensationRan(string activity, bool succeeded) =>
        Compensations.Add(1, new("activity", activity), new("result", succeeded ? "succeeded" : "failed"));

    public static void AssetFinished(string outcome, DateTimeOffset? uploadedAt, DateTimeOffset finishedAt)
    {
        AssetsFinished.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (outcome == "Ready" && uploadedAt is { } uploaded)
        {
            UploadToReady.Record((finishedAt - uploaded).TotalSeconds);
        }
    }

    public static void OrphanRenditionsRemoved(int blobs) => OrphanRenditions.Add(blobs);

    /// <summary>Records the time since <paramref name="startedAt"/> (a <see cref="Stopwatch"/> timestamp) for a rendition.</summary>
    public static void RenditionRendered(string rendition, long startedAt) =>
        RenditionDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds, new KeyValuePair<string, object?>("rendition", rendition));
}
