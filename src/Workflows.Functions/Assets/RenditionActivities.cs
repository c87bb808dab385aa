using System.Diagnostics;
using System.Security.Cryptography;
using Azure.Storage.Blobs.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Workflows.Assets.Imaging;
using Workflows.Assets.Storage;
using Workflows.Observability;

namespace Workflows.Assets;

/// <summary>Step 2 of the pipeline and its compensation.</summary>
public sealed class RenditionActivities(AssetStore store, IAssetImaging imaging, ILogger<RenditionActivities> logger)
{
    private const string Superseded =
        "The asset was failed or deleted while its renditions were being rendered; what was rendered has been removed.";

    /// <summary>
    /// Renders every chain of the profile (e.g. JPEG and WebP at 1600/800/200) from one read and one decode of the
    /// original, hashing it (SHA-256) as it is read and proving it complete before anything is written: each
    /// size from the previous, larger one, each size encoded in every format, written to
    /// <c>renditions/{assetId}/{name}.{ext}</c>. Deterministic names make a retry overwrite; what a failed attempt
    /// wrote is found by the asset's prefix (<see cref="DeleteRenditions"/>). An original the decoder rejects is
    /// answered with a rejection, not an exception (a business outcome).
    /// <para>
    /// Activities run at least once, so an execution can be delivered late: after the pipeline failed and cleaned up,
    /// or after the asset was deleted (its original moved or gone: then it usually cannot read it, but it may have read it
    /// before). Checking the record before writing would not do (it can change right after), so the render writes first
    /// and then asks <see cref="AssetStore.TakesRenditionsAsync"/>: whoever sweeps the renditions for good closes the
    /// record first (<see cref="AssetStore.CloseRenditionsAsync"/>, or deletes it), so either this check sees it closed
    /// and the render removes the asset's renditions itself, or the sweep runs after these writes and removes them.
    /// </para>
    /// </summary>
    [Function(nameof(RenderRenditions))]
    public async Task<RenderRenditionsResult> RenderRenditions([ActivityTrigger] RenderRenditionsRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        await store.EnsureCreatedAsync(ct);
        var container = store.Renditions;
        Dictionary<string, string> blobNames = [];
        var renditionStarted = Stopwatch.GetTimestamp();

        async Task WriteAsync(RenditionTarget target, Stream content, CancellationToken token)
        {
            // Renditions are produced one after another: the time since the previous one was written is this one's.
            WorkflowMetrics.RenditionRendered(target.Name, renditionStarted);
            var blobName = target.BlobName(request.AssetId);
            blobNames[target.Name] = blobName;
            await container.GetBlobClient(blobName).UploadAsync(
                content,
                new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = target.ContentType } },
                token);
            renditionStarted = Stopwatch.GetTimestamp();
        }

        IReadOnlyList<RenditionInfo> written;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var original = await store.Original(request.AssetId).OpenReadAsync(cancellationToken: ct))
        {
            try
            {
                written = await imaging.RenderRenditionsAsync(original, hash, request.Chains, WriteAsync, ct);
            }
            catch (ImageRejectedException ex)
            {
                await RemoveUnlessTakenAsync(request.AssetId, blobNames.Count);
                return new RenderRenditionsResult([], ex.Message);
            }
            catch (Exception) when (blobNames.Count > 0)
            {
                await RemoveUnlessTakenAsync(request.AssetId, blobNames.Count);
                throw;
            }
        }

        if (await RemoveUnlessTakenAsync(request.AssetId, blobNames.Count))
        {
            return new RenderRenditionsResult([], Superseded);
        }

        return new RenderRenditionsResult(
            written.Select(r => new Rendition(r.Name, r.Width, r.Height, r.Bytes, r.ContentType, blobNames[r.Name])).ToList(),
            Sha256: Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>
    /// Compensation of the rendering step: closes the asset to renditions, then deletes every rendition blob of it,
    /// including those a failed attempt wrote before it failed (and, through the close, any a late render writes after).
    /// Nothing to delete is fine.
    /// </summary>
    [Function(nameof(DeleteRenditions))]
    public async Task<int> DeleteRenditions([ActivityTrigger] AssetCleanupRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        await store.EnsureCreatedAsync(ct);
        await store.CloseRenditionsAsync(request.AssetId, ct);
        return await store.DeleteRenditionsAsync(request.AssetId, ct);
    }

    /// <summary>
    /// After this execution wrote <paramref name="written"/> blobs: when the asset no longer takes renditions (failed,
    /// being cleaned up or deleted), deletes all of them, and returns true (the execution was late). Not cancelled with
    /// the execution: a render the host stops (shutting down) after a write must still check, since no one else will
    /// remove what it wrote after a close.
    /// </summary>
    private async Task<bool> RemoveUnlessTakenAsync(string assetId, int written)
    {
        var ct = CancellationToken.None;
        if (written == 0 || await store.TakesRenditionsAsync(assetId, ct))
        {
            return false;
        }

        var removed = await store.DeleteRenditionsAsync(assetId, ct);
        logger.LogWarning(
            "Asset {AssetId} is failed or deleted: a late render removed the {Count} rendition(s) it had written", assetId, removed);
        return true;
    }
}
