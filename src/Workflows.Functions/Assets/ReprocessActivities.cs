using Azure.Data.Tables;
using Microsoft.Azure.Functions.Worker;
using Workflows.Assets.Storage;

namespace Workflows.Assets;

/// <summary>Activities of the bulk reprocess: page through Ready assets, record each asset's new renditions.</summary>
public sealed class ReprocessActivities(AssetStore store, IAssetImaging imaging)
{
    /// <summary>
    /// One page of Ready asset ids (ids only, so the history stays small) plus the current rendition profile.
    /// The continuation token is the table's own, so pages stay stable while rows are updated.
    /// </summary>
    [Function(nameof(ListAssetPage))]
    public async Task<AssetPage> ListAssetPage([ActivityTrigger] ListAssetPageRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        await store.EnsureCreatedAsync(ct);
        var filter = TableClient.CreateQueryFilter<AssetEntity>(e => e.Status == nameof(AssetStatus.Ready));
        var pages = store.Table
            .QueryAsync<AssetEntity>(filter, request.PageSize, [nameof(ITableEntity.PartitionKey)], ct)
            .AsPages(request.ContinuationToken, request.PageSize);
        await foreach (var page in pages)
        {
            var ids = page.Values.Select(e => e.PartitionKey).ToList();
            return new AssetPage(ids, page.ContinuationToken, imaging.Profile.Chains);
        }

        return new AssetPage([], null, imaging.Profile.Chains);
    }

    /// <summary>
    /// Records a re-render's result on the asset: on success the new renditions; on failure the error, leaving the asset
    /// Ready with its previous rendition list. Either way, rendition blobs the record does not list are deleted: those
    /// the profile no longer has, and those a failed re-render wrote before it failed. A result of an older run than the
    /// one the record belongs to (<see cref="Storage.AssetEntity.Generation"/>), delivered late, changes nothing.
    /// </summary>
    [Function(nameof(RecordRerender))]
    public async Task RecordRerender([ActivityTrigger] RecordRerenderRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entity = await store.FindAsync(request.AssetId, ct);
        if (entity is null or { RenditionsClosed: true })
        {
            // Deleted (or being deleted) while it was re-rendered: remove what the re-render wrote after the delete.
            await store.DeleteRenditionsAsync(request.AssetId, ct);
            return;
        }

        if ((entity.Generation ?? 0) > request.Generation)
        {
            return; // a newer re-render took the asset: its result (and its clean-up of unlisted renditions) stands
        }

        entity.ReprocessedAt = DateTimeOffset.UtcNow;
        entity.ReprocessError = request.Error;
        if (request.Error is null)
        {
            entity.RenditionsJson = AssetStore.SerializeRenditions(request.Renditions);
        }

        await store.DeleteRenditionsExceptAsync(request.AssetId, AssetStore.DeserializeRenditions(entity.RenditionsJson), ct);
        await store.SaveAsync(entity, ct);
    }
}
