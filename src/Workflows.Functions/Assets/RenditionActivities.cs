using System.Diagnostics;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
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
    private readonly LateRenderCleanup _late = new(store, logger);

    /// <summary>
    /// Renders every chain of the profile (e.g. JPEG and WebP at 1600/800/200) from one read and one decode of the
    /// original, hashing it (SHA-256) as it is read and proving it complete before anything is written: each
    /// size from the previous, larger one, each size encoded in every format, written to
    /// <c>renditions/{assetId}/{name}.{ext}</c>. Deterministic names make a retry overwrite; what a failed attempt
    /// wrote is found by the asset's prefix (<see cref="DeleteRenditions"/>). An original the decoder rejects is
    /// answered with a rejection, not an exception (a business outcome).
    /// <para>
    /// The original is read at the version inspection read (<see cref="RenderRenditionsRequest.OriginalETag"/>,
    /// <c>If-Match</c>), so the renditions and the SHA-256 come from the bytes inspection checked. A different version
    /// there (written over since) is a rejection too, not a retry: the version is fixed in the request, so every attempt
    /// would fail the same way; the asset fails saying so, and the blob there now is left in place (the quarantine
    /// moves only the version inspected, <see cref="QuarantineRequest.OriginalETag"/>). A read without a
    /// version (a re-render) is pinned by the SDK to the version its first block came from: a write meeting it half-way
    /// fails that attempt (an exception, so a retry reads the new version whole).
    /// </para>
    /// <para>
    /// Activities run at least once, so an execution can be delivered late: after the pipeline failed and cleaned up,
    /// or after the asset was deleted (its original moved or gone: then it usually cannot read it, but it may have read it
    /// before). Checking the record before writing would not do (it can change right after), so the render writes first
    /// and then asks <see cref="AssetStore.TakesRenditionsAsync"/>: whoever sweeps the renditions for good closes the
    /// record first (<see cref="AssetStore.CloseRenditionsAsync"/>, or deletes it), so either this check sees it closed
    /// and the render removes the asset's renditions itself, or the sweep runs after these writes and removes them.
    /// </para>
    /// <para>
    /// Runs are ordered by generation (<see cref="AssetGenerations"/>): the render first takes the record for its run
    /// (<see cref="AssetStore.ClaimRenditionsAsync"/>) and stops there when a newer run holds it; each blob carries its
    /// writer's generation and is written only over an older one (conditional on the version read), so an older run
    /// never overwrites a newer run's rendition; and when the check after the writes finds a newer run, the render
    /// deletes only the blob versions it wrote (<c>If-Match</c>).
    /// </para>
    /// </summary>
    [Function(nameof(RenderRenditions))]
    public async Task<RenderRenditionsResult> RenderRenditions([ActivityTrigger] RenderRenditionsRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        await store.EnsureCreatedAsync(ct);
        if (!await store.ClaimRenditionsAsync(request.AssetId, request.Generation, ct))
        {
            logger.LogWarning("Asset {AssetId}: a newer run took it; a late render wrote nothing", request.AssetId);
            return new RenderRenditionsResult([], LateRenderCleanup.Outranked);
        }

        var container = store.Renditions;
        Dictionary<string, string> blobNames = [];
        Dictionary<string, ETag> versions = [];
        var renditionStarted = Stopwatch.GetTimestamp();
        var blindWrites = true; // false after one was found there (a re-render, a repeat): the next is read first

        async Task WriteAsync(RenditionTarget target, Stream content, CancellationToken token)
        {
            // Renditions are produced one after another: the time since the previous one was written is this one's.
            WorkflowMetrics.RenditionRendered(target.Name, renditionStarted);
            var blobName = target.BlobName(request.AssetId);
            blobNames[target.Name] = blobName;
            var (stored, found) = await RenditionBlobWrites.UploadOverOlderAsync(
                container.GetBlobClient(blobName), content, target.ContentType, request.Generation, blindWrites, token);
            blindWrites = !found;
            versions[blobName] = (stored ?? throw new OutrankedException()).ETag;
            renditionStarted = Stopwatch.GetTimestamp();
        }

        IReadOnlyList<RenditionInfo> written;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            await using var original = await OpenOriginalAsync(request, ct);
            written = await imaging.RenderRenditionsAsync(original, hash, request.Chains, WriteAsync, ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 412 && blobNames.Count == 0 && request.OriginalETag is not null)
        {
            // Before the first write, the only conditional request is the read of the original (read whole first). An
            // unpinned read (a re-render) that meets a write half-way fails alike: that one is retried, reading the new
            // version whole, since no version was promised to it (and a re-render quarantines nothing).
            logger.LogWarning("Asset {AssetId}: the original is no longer the version inspected", request.AssetId);
            return new RenderRenditionsResult([],
                $"The stored original changed after it was inspected (something else wrote originals/{request.AssetId}); " +
                "nothing was rendered from it. Upload the file again.");
        }
        catch (ImageRejectedException ex)
        {
            await _late.RemoveUnlessTakenAsync(request, versions);
            return new RenderRenditionsResult([], ex.Message);
        }
        catch (OutrankedException)
        {
            await _late.RemoveOwnAsync(request.AssetId, versions);
            return new RenderRenditionsResult([], LateRenderCleanup.Outranked);
        }
        catch (Exception) when (versions.Count > 0)
        {
            await _late.RemoveUnlessTakenAsync(request, versions);
            throw;
        }

        if (await _late.RemoveUnlessTakenAsync(request, versions) is { } late)
        {
            return new RenderRenditionsResult([], late);
        }

        return new RenderRenditionsResult(
            written.Select(r => new Rendition(r.Name, r.Width, r.Height, r.Bytes, r.ContentType, blobNames[r.Name])).ToList(),
            Sha256: Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>The original, pinned to the version inspection read when the request names it (else to the first read).</summary>
    private Task<Stream> OpenOriginalAsync(RenderRenditionsRequest request, CancellationToken ct) =>
        store.Original(request.AssetId).OpenReadAsync(
            new BlobOpenReadOptions(allowModifications: false)
            {
                Conditions = request.OriginalETag is { } version ? new BlobRequestConditions { IfMatch = AssetIds.ToETag(version) } : null,
            },
            ct);

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

    /// <summary>A rendition blob was written by a newer run: this render stops writing.</summary>
    private sealed class OutrankedException : Exception
    {
    }
}
