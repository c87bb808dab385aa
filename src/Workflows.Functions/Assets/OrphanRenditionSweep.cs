using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Workflows.Assets.Storage;
using Workflows.Observability;

namespace Workflows.Assets;

/// <summary>
/// Removes the renditions a render left behind when its worker died between writing them and checking that the asset
/// still takes them (see <see cref="RenditionActivities.RenderRenditions"/>): renditions of an asset that is deleted,
/// Failed or closed to renditions. Run by <see cref="StuckAssetSweep.SettleStuckAssets"/> after it settles; one page of
/// asset prefixes per run, going on from where the previous run stopped: the listing cursor is kept in a row of
/// <see cref="AssetStore.Sweeps"/>, so a restart or another instance goes on from it, and a pass wraps to the start.
/// While that table cannot be read or written, the process goes on from a cursor of its own: an outage of the cursor
/// never stops the sweep nor holds it on one page.
/// </summary>
public sealed class OrphanRenditionSweep(
    AssetStore store, TimeProvider clock, IOptions<AssetOptions> options, ILogger<OrphanRenditionSweep> logger)
{
    private const string CursorPartition = "orphan-renditions";
    private const string CursorRow = "cursor";
    private const string NextColumn = "Next";
    private readonly AssetOptions _options = options.Value;
    private string? _ownNext; // where this process's last run stopped: used while the stored cursor cannot be read

    /// <summary>Looks at one page of asset prefixes; returns how many rendition blobs it removed.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        await store.EnsureCreatedAsync(ct);
        var (next, version) = await ReadCursorAsync(ct);
        var removed = 0;
        var pages = store.Renditions
            .GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", prefix: null, ct)
            .AsPages(next, _options.OrphanSweepPageSize);
        try
        {
            await foreach (var page in pages)
            {
                foreach (var item in page.Values.Where(i => i.IsPrefix))
                {
                    var assetId = item.Prefix.TrimEnd('/');
                    try
                    {
                        removed += AssetIds.IsValid(assetId) ? await RemoveIfOrphanedAsync(assetId, ct) : 0;
                    }
                    catch (Exception ex) when (!ct.IsCancellationRequested)
                    {
                        // One asset's fault does not hold up the page (nor, the cursor going on, later pages): next time round.
                        // Any exception: the SDK raises its own AggregateException or TaskCanceledException once its retries
                        // of a timeout or a network failure run out, not a RequestFailedException.
                        logger.LogError(ex, "Could not sweep the orphan renditions of asset {AssetId}; a later run retries it", assetId);
                    }
                }

                // The end of a pass wraps: the next run starts from the top.
                await SaveCursorAsync(string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken, version, ct);
                break; // bounded: one page per run
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 400 && next is not null)
        {
            // A stored cursor the service no longer takes: start the pass again from the top.
            logger.LogWarning(ex, "The orphan sweep cursor was refused; the next run starts from the top");
            await SaveCursorAsync(null, version, ct);
        }
        finally
        {
            if (removed > 0)
            {
                WorkflowMetrics.OrphanRenditionsRemoved(removed);
            }
        }

        return removed;
    }

    /// <summary>The stored cursor and its version; this process's own (and no version: nothing is stored) when it cannot be read.</summary>
    private async Task<(string? Next, ETag? Version)> ReadCursorAsync(CancellationToken ct)
    {
        try
        {
            var row = await store.Sweeps.GetEntityIfExistsAsync<TableEntity>(CursorPartition, CursorRow, cancellationToken: ct);
            return row.HasValue ? (row.Value!.GetString(NextColumn) is { Length: > 0 } next ? next : null, row.Value.ETag) : (null, default(ETag));
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Could not read the orphan sweep cursor; going on from this process's own");
            return (_ownNext, null);
        }
    }

    /// <summary>
    /// Moves the cursor on, conditional on the version read: when another instance moved it meanwhile (or added the row
    /// first), its cursor stands and this run's page is simply swept twice, which is harmless.
    /// </summary>
    private async Task SaveCursorAsync(string? next, ETag? read, CancellationToken ct)
    {
        _ownNext = next;
        if (read is not { } version)
        {
            return; // the stored cursor could not be read: moving it now could move it back
        }

        var row = new TableEntity(CursorPartition, CursorRow) { [NextColumn] = next ?? string.Empty };
        try
        {
            await (version == default
                ? store.Sweeps.AddEntityAsync(row, ct)
                : store.Sweeps.UpdateEntityAsync(row, version, TableUpdateMode.Replace, ct));
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            logger.LogInformation("The orphan sweep cursor was moved by another run; it stands");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // The page is swept: a later run goes on from this process's cursor while the stored one cannot be moved.
            logger.LogWarning(ex, "Could not store the orphan sweep cursor; this process goes on from its own");
        }
    }

    private async Task<int> RemoveIfOrphanedAsync(string assetId, CancellationToken ct)
    {
        // Every blob version under the prefix, and none written within the minimum age (a render may be under way).
        List<(string Name, ETag Version)> blobs = [];
        var newest = DateTimeOffset.MinValue;
        await foreach (var blob in store.Renditions.GetBlobsAsync(BlobTraits.None, BlobStates.None, AssetStore.RenditionPrefix(assetId), ct))
        {
            blobs.Add((blob.Name, blob.Properties.ETag!.Value));
            newest = blob.Properties.LastModified is { } modified && modified > newest ? modified : newest;
        }

        if (blobs.Count == 0 || newest > clock.GetUtcNow() - _options.OrphanRenditionMinAge)
        {
            return 0;
        }

        // Processing, or Ready and open: its renditions are the asset's (listed or about to be), never touched.
        var record = await store.FindAsync(assetId, ct);
        if (record is { StatusValue: AssetStatus.Processing } or { StatusValue: AssetStatus.Ready, RenditionsClosed: not true })
        {
            return 0;
        }

        // Failed and open: closed first, against the version read, as every sweeper does (a render then removes its own
        // writes); a record rewritten meanwhile is left for the next run.
        if (record is { RenditionsClosed: not true })
        {
            record.RenditionsClosed = true;
            if (!await store.TrySaveAsync(record, ct))
            {
                return 0;
            }
        }

        // Only the very versions listed: a blob written since (say a new pipeline of a deleted asset's upload) is kept.
        var removed = 0;
        foreach (var (name, version) in blobs)
        {
            try
            {
                var conditions = new BlobRequestConditions { IfMatch = version };
                removed += (await store.Renditions.DeleteBlobIfExistsAsync(name, DeleteSnapshotsOption.None, conditions, ct)).Value ? 1 : 0;
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // Rewritten since it was listed: not the orphan it was.
            }
        }

        logger.LogWarning(
            "Removed {Count} orphan rendition(s) of asset {AssetId} ({State})", removed, assetId, record?.Status ?? "deleted");
        return removed;
    }
}
