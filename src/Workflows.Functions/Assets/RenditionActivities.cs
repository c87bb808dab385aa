using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Storage.Blobs.Models;
using Microsoft.Azure.Functions.Worker;
using Workflows.Assets.Imaging;
using Workflows.Assets.Storage;
using Workflows.Observability;

namespace Workflows.Assets;

/// <summary>Step 2 of the pipeline (one activity per branch of the fan-out) and its compensation.</summary>
public sealed class RenditionActivities(AssetStore store, IAssetImaging imaging)
{
    /// <summary>
    /// Renders one chain of the profile (e.g. JPEG 1600/800/200): decodes the original once, cascades the sizes and
    /// writes each rendition to <c>renditions/{assetId}/{name}.{ext}</c>. Deterministic names make a retry overwrite.
    /// An original the decoder rejects is answered with a rejection, not an exception (a business outcome).
    /// </summary>
    [Function(nameof(RenderChain))]
    public async Task<RenderChainResult> RenderChain([ActivityTrigger] RenderChainRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        await store.EnsureCreatedAsync(ct);
        var container = store.Renditions;
        ConcurrentDictionary<string, string> blobNames = new();
        var renditionStarted = Stopwatch.GetTimestamp();

        async Task WriteAsync(RenditionTarget target, Stream content, CancellationToken token)
        {
            // Sizes are produced one after another: the time since the previous one was written is this one's.
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
        await using (var original = await store.Original(request.AssetId).OpenReadAsync(cancellationToken: ct))
        {
            try
            {
                written = await imaging.RenderChainAsync(original, request.Chain, WriteAsync, ct);
            }
            catch (ImageRejectedException ex)
            {
                return new RenderChainResult([], ex.Message);
            }
        }

        return new RenderChainResult(
            written.Select(r => new Rendition(r.Name, r.Width, r.Height, r.Bytes, r.ContentType, blobNames[r.Name])).ToList());
    }

    /// <summary>
    /// Compensation of the fan-out: deletes every rendition blob of the asset, including those a failed branch wrote
    /// before it failed. Nothing to delete is fine.
    /// </summary>
    [Function(nameof(DeleteRenditions))]
    public async Task<int> DeleteRenditions([ActivityTrigger] AssetCleanupRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        await store.EnsureCreatedAsync(ct);
        return await store.DeleteRenditionsAsync(request.AssetId, ct);
    }
}
