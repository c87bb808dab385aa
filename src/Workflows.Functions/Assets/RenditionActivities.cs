using System.Diagnostics;
using System.Security.Cryptography;
using Azure.Storage.Blobs.Models;
using Microsoft.Azure.Functions.Worker;
using Workflows.Assets.Imaging;
using Workflows.Assets.Storage;
using Workflows.Observability;

namespace Workflows.Assets;

/// <summary>Step 2 of the pipeline and its compensation.</summary>
public sealed class RenditionActivities(AssetStore store, IAssetImaging imaging)
{
    /// <summary>
    /// Renders every chain of the profile (e.g. JPEG and WebP at 1600/800/200) from one read and one decode of the
    /// original, hashing it (SHA-256) as it is read and proving it complete before anything is written: each
    /// size from the previous, larger one, each size encoded in every format, written to
    /// <c>renditions/{assetId}/{name}.{ext}</c>. Deterministic names make a retry overwrite; what a failed attempt
    /// wrote is found by the asset's prefix (<see cref="DeleteRenditions"/>). An original the decoder rejects is
    /// answered with a rejection, not an exception (a business outcome).
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
                return new RenderRenditionsResult([], ex.Message);
            }
        }

        return new RenderRenditionsResult(
            written.Select(r => new Rendition(r.Name, r.Width, r.Height, r.Bytes, r.ContentType, blobNames[r.Name])).ToList(),
            Sha256: Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>
    /// Compensation of the rendering step: deletes every rendition blob of the asset, including those a failed attempt
    /// wrote before it failed. Nothing to delete is fine.
    /// </summary>
    [Function(nameof(DeleteRenditions))]
    public async Task<int> DeleteRenditions([ActivityTrigger] AssetCleanupRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        await store.EnsureCreatedAsync(ct);
        return await store.DeleteRenditionsAsync(request.AssetId, ct);
    }
}
