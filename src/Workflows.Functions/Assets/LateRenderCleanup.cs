using Azure;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Workflows.Assets.Storage;

namespace Workflows.Assets;

/// <summary>
/// What a render removes when, after its writes, it finds the asset no longer its own (see
/// <see cref="RenditionActivities.RenderRenditions"/>): everything of an asset failed, being cleaned up or deleted;
/// only its own blob versions when a newer run took the asset.
/// </summary>
internal sealed class LateRenderCleanup(AssetStore store, ILogger logger)
{
    public const string Superseded =
        "The asset was failed or deleted while its renditions were being rendered; what was rendered has been removed.";

    public const string Outranked =
        "A newer rendering of the asset (a re-render) took it over; what this one rendered has been removed.";

    /// <summary>
    /// After this execution wrote <paramref name="written"/> blob versions: when the asset no longer takes renditions
    /// (failed, being cleaned up or deleted), deletes all of the asset's renditions; when a newer run took it, deletes
    /// only the versions written here. Returns why (the execution was late), else null. Not cancelled with the
    /// execution: a render the host stops (shutting down) after a write must still check, since no one else will remove
    /// what it wrote after a close.
    /// </summary>
    public async Task<string?> RemoveUnlessTakenAsync(RenderRenditionsRequest request, Dictionary<string, ETag> written)
    {
        var ct = CancellationToken.None;
        if (written.Count == 0 || await store.TakesRenditionsAsync(request.AssetId, request.Generation, ct))
        {
            return null;
        }

        if (await store.TakesRenditionsAsync(request.AssetId, ct))
        {
            await RemoveOwnAsync(request.AssetId, written);
            return Outranked;
        }

        var removed = await store.DeleteRenditionsAsync(request.AssetId, ct);
        logger.LogWarning(
            "Asset {AssetId} is failed or deleted: a late render removed the {Count} rendition(s) it had written", request.AssetId, removed);
        return Superseded;
    }

    /// <summary>Deletes the blob versions this render wrote, and no later version (a newer run's).</summary>
    public async Task RemoveOwnAsync(string assetId, Dictionary<string, ETag> written)
    {
        foreach (var (blobName, version) in written)
        {
            try
            {
                await store.Renditions.DeleteBlobIfExistsAsync(
                    blobName, conditions: new BlobRequestConditions { IfMatch = version }, cancellationToken: CancellationToken.None);
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // Written again since, by a newer run: its rendition now.
            }
        }

        logger.LogWarning("Asset {AssetId}: a newer run took it; a late render removed the rendition(s) it had written", assetId);
    }
}
