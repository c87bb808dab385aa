using Azure;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Workflows.Assets.Storage;
using Workflows.Assets.Uploads;
using Workflows.Observability;

namespace Workflows.Assets;

/// <summary>
/// Settles an asset left Processing by a pipeline that has ended without finishing it: its last step (marking the asset
/// Failed) failed every retry, or an operator terminated it. As the pipeline's own failure path would: the record is
/// Failed with a reason, its renditions deleted, its original (or the upload it came from) quarantined. Then removes
/// one page of orphan renditions (<see cref="OrphanRenditionSweep"/>).
/// </summary>
public sealed class StuckAssetSweep(
    AssetStore store, AssetStarter starter, OrphanRenditionSweep orphans, TimeProvider clock, ILogger<StuckAssetSweep> logger)
{
    /// <summary>Every 15 minutes: each run reads the assets table (status is not a key), so not every minute.</summary>
    public const string Schedule = "0 */15 * * * *";

    /// <summary>
    /// How long a pipeline must have ended before its asset is settled: terminating an instance does not stop an activity
    /// already running (a render may still write renditions), and the host stops any activity after its functionTimeout
    /// (30 minutes by default on Flex Consumption and Premium).
    /// </summary>
    public static readonly TimeSpan SettleAfter = TimeSpan.FromMinutes(30);

    [Function(nameof(SettleStuckAssets))]
    public async Task SettleStuckAssets(
        [TimerTrigger(Schedule)] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken ct)
    {
        (int Settled, IReadOnlyDictionary<string, Exception> Failures) result;
        try
        {
            result = await SettleAsync(client, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // The assets table's query failing (not one asset) must not stop the orphan sweep for as long as it fails.
            logger.LogError(ex, "Could not look for stuck assets; the next run retries. Sweeping orphan renditions all the same");
            await orphans.SweepAsync(ct);
            throw;
        }

        var (settled, failures) = result;
        if (settled > 0)
        {
            logger.LogWarning("Settled {Count} asset(s) whose pipeline ended while they were Processing", settled);
        }

        await orphans.SweepAsync(ct);

        if (failures.Count > 0)
        {
            throw new AggregateException(
                $"Could not settle {failures.Count} asset(s): {string.Join(", ", failures.Keys)}. The next run retries them.",
                failures.Values);
        }
    }

    /// <summary>Settles every stuck asset; returns how many it settled and, by asset, why any could not be.</summary>
    internal async Task<(int Settled, IReadOnlyDictionary<string, Exception> Failures)> SettleAsync(DurableTaskClient client, CancellationToken ct)
    {
        await store.EnsureCreatedAsync(ct);
        var settled = 0;
        Dictionary<string, Exception> failures = [];
        var processing = $"RowKey eq '{AssetEntity.AssetRowKey}' and Status eq '{nameof(AssetStatus.Processing)}'";
        await foreach (var listed in store.Table.QueryAsync<AssetEntity>(processing, cancellationToken: ct))
        {
            try
            {
                settled += await SettleIfEndedAsync(client, listed.Id, ct) ? 1 : 0;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogError(ex, "Could not settle asset {AssetId}; the next run retries it", listed.Id);
                failures[listed.Id] = ex;
            }
        }

        return (settled, failures);
    }

    private async Task<bool> SettleIfEndedAsync(DurableTaskClient client, string assetId, CancellationToken ct)
    {
        // No instance yet is a start still under way (the record is written first) or lost: the upload sweep starts it.
        var instance = await client.GetInstanceAsync(AssetIds.InstanceId(assetId), getInputsAndOutputs: false, ct);
        if (instance is not { RuntimeStatus: OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated }
            || instance.LastUpdatedAt > clock.GetUtcNow() - SettleAfter)
        {
            return false;
        }

        // Read again now that the pipeline has ended (it may have finished the asset after the query read it). A record
        // written after the instance ended belongs to a newer run (a restart under a new id): not stuck, unless the
        // write was our own close (an earlier run of the sweep that failed half-way).
        if (await store.FindAsync(assetId, ct) is not { StatusValue: AssetStatus.Processing } record
            || (record.Timestamp > instance.LastUpdatedAt && record.RenditionsClosed != true))
        {
            return false;
        }

        // Closed to renditions first, against the version read: a late render that writes after the deletion below
        // then finds the asset closed and removes its own writes (see RenditionActivities.RenderRenditions).
        if (record.RenditionsClosed != true)
        {
            record.RenditionsClosed = true;
            if (!await store.TrySaveAsync(record, ct))
            {
                return false;
            }
        }

        // Then the blobs, each step idempotent: should one fail, the record is still Processing and the next run
        // repeats them. Then the record, against the version read after the close.
        await store.DeleteRenditionsAsync(assetId, ct);
        // The pipeline's own quarantine may have left the original in place (written over since inspection, which the
        // sweep, knowing no version, could not tell): it stays there, as that quarantine left it.
        var moved = record.QuarantineNote is null
            ? await store.QuarantineAsync(assetId, null, token => ItsUploadAsync(record, token), ct)
            : QuarantineResult.NothingToMove;
        var leftInPlace = record.QuarantineNote ?? OriginalQuarantine.LeftInPlace(moved, assetId); // the reason says where it is
        var quarantined = moved is QuarantineResult.Moved or QuarantineResult.AlreadyMoved
            || (moved == QuarantineResult.NothingToMove && (await store.Quarantined(assetId).ExistsAsync(ct)).Value); // the pipeline's own failure path moved it
        if (await store.FindAsync(assetId, ct) is not { StatusValue: AssetStatus.Processing } closed)
        {
            return false;
        }

        closed.Status = nameof(AssetStatus.Failed);
        closed.FailureReason = leftInPlace is not null
            ? $"Processing stopped before the asset was finished. {leftInPlace} Upload the file again, or report asset id {assetId}."
            : quarantined
            ? "Processing stopped before the asset was finished. The original is kept in quarantine: " +
              $"upload the file again, or report asset id {assetId} if it keeps failing."
            : "Processing stopped before the asset was finished, and its upload is gone: upload the file again.";
        closed.RenditionsJson = null;
        closed.ProcessingCompletedAt = clock.GetUtcNow();
        if (!await store.TrySaveAsync(closed, ct))
        {
            return false;
        }

        WorkflowMetrics.AssetFinished(closed.Status, closed.UploadedAt, closed.ProcessingCompletedAt.Value);
        return true;
    }

    /// <summary>The very upload version the asset was started for, if it is still there (a newer upload is another asset).</summary>
    private async Task<(BlobClient Blob, ETag Version)?> ItsUploadAsync(AssetEntity record, CancellationToken ct)
    {
        if (record.UploadContainer is null || record.UploadBlobName is null)
        {
            return null;
        }

        var upload = store.Upload(record.UploadContainer, record.UploadBlobName);
        try
        {
            var properties = (await upload.GetPropertiesAsync(cancellationToken: ct)).Value;
            var version = starter.RequestFor(record.UploadContainer, record.UploadBlobName, properties.ETag, properties.Metadata);
            return version.AssetId == record.Id ? (upload, properties.ETag) : null;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }
}
