using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Workflows.Assets.Storage;
using Workflows.Observability;

namespace Workflows.Assets;

/// <summary>Steps 3 and 4 of the pipeline: the asset's final state, its announcement, and the quarantine.</summary>
public sealed class AssetRecordActivities(AssetStore store, ILogger<AssetRecordActivities> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Records the renditions and the original's SHA-256 and marks the asset Ready (a replay finds it Ready and only
    /// relists it). Only from Processing with renditions open: a late execution, delivered after the pipeline failed
    /// (record Failed, or closed by its cleanup), is refused, and the write is conditional on the version read, so a
    /// close in between fails it too. A final state is never left.
    /// </summary>
    [Function(nameof(MarkAssetReady))]
    public async Task MarkAssetReady([ActivityTrigger] MarkAssetReadyRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entity = await store.FindAsync(request.AssetId, ct)
            ?? throw new InvalidOperationException($"Asset {request.AssetId} has no record: it was not inspected, or was deleted.");
        if (entity.StatusValue == AssetStatus.Ready)
        {
            await store.RelistAsync(request.AssetId, ct); // a retry: the index write may be what failed last time
            return;
        }

        if (entity is not { StatusValue: AssetStatus.Processing, RenditionsClosed: not true })
        {
            var state = entity.RenditionsClosed == true ? $"{entity.Status} and cleaned up" : entity.Status;
            throw new InvalidOperationException($"Asset {request.AssetId} is {state}: not marking it Ready (a late execution).");
        }

        if ((entity.Generation ?? 0) > request.Generation)
        {
            throw new InvalidOperationException($"Asset {request.AssetId} belongs to a newer run: not marking it Ready (a late execution).");
        }

        entity.Status = nameof(AssetStatus.Ready);
        entity.FailureReason = null;
        entity.RenditionsJson = AssetStore.SerializeRenditions(request.Renditions);
        entity.Sha256 = request.Sha256 ?? entity.Sha256;
        entity.ProcessingCompletedAt = DateTimeOffset.UtcNow;
        await store.SaveAsync(entity, ct);
        WorkflowMetrics.AssetFinished(entity.Status, entity.UploadedAt, entity.ProcessingCompletedAt.Value);
    }

    /// <summary>
    /// Marks the asset Failed with a reason the uploader can act on. Every starter writes the record before it starts the
    /// pipeline, so a missing record was deleted (<c>DELETE /api/assets/{id}</c>): a late execution does not bring it back.
    /// An asset already Failed (a redelivery, or the stuck-asset sweep settled it first) is only relisted: its reason stays
    /// and it is not counted again.
    /// </summary>
    [Function(nameof(MarkAssetFailed))]
    public async Task MarkAssetFailed([ActivityTrigger] MarkAssetFailedRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        await store.EnsureCreatedAsync(ct);
        var entity = await store.FindAsync(request.AssetId, ct);
        if (entity is null)
        {
            logger.LogWarning("Asset {AssetId} was deleted; not recording it as failed ({Reason})", request.AssetId, request.Reason);
            return;
        }

        if (entity.StatusValue == AssetStatus.Failed)
        {
            await store.RelistAsync(request.AssetId, ct); // a retry: the index write may be what failed last time
            return;
        }

        entity.Status = nameof(AssetStatus.Failed);
        entity.FailureReason = entity.QuarantineNote is { } note ? $"{request.Reason} {note}" : request.Reason;
        entity.OriginalName ??= request.OriginalName;
        entity.RenditionsJson = null;
        entity.ProcessingCompletedAt = DateTimeOffset.UtcNow;
        await store.SaveAsync(entity, ct); // against the version read: a 412 (written meanwhile) is retried

        WorkflowMetrics.AssetFinished(entity.Status, entity.UploadedAt, entity.ProcessingCompletedAt.Value);
        logger.LogWarning("Asset {AssetId} failed: {Reason}", request.AssetId, request.Reason);
    }

    /// <summary>
    /// Publishes <see cref="AssetReadyEvent"/> to the ready queue. At-least-once: a retry after a lost
    /// acknowledgement sends it again, so consumers dedupe by asset id.
    /// </summary>
    [Function(nameof(PublishAssetReady))]
    public async Task PublishAssetReady([ActivityTrigger] PublishAssetReadyRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entity = await store.FindAsync(request.AssetId, ct);
        if (entity is null or { RenditionsClosed: true })
        {
            // Deleted (DELETE /api/assets/{id}), or being deleted (closed, its renditions going), between MarkAssetReady and
            // now: there is nothing left to announce.
            logger.LogInformation("Asset {AssetId} was deleted before it was announced", request.AssetId);
            return;
        }

        var ready = new AssetReadyEvent(
            entity.Id,
            entity.OriginalName ?? string.Empty,
            entity.ContentType ?? string.Empty,
            entity.Width ?? 0,
            entity.Height ?? 0,
            AssetStore.DeserializeRenditions(entity.RenditionsJson),
            entity.ProcessingCompletedAt ?? DateTimeOffset.UtcNow);
        await store.ReadyQueue.SendMessageAsync(JsonSerializer.Serialize(ready, Json), ct);
    }

    /// <summary>
    /// Compensation of the inspection: moves the original (only the version inspection took in, when the request names
    /// it), or the upload if it never got that far, to <c>quarantine/{assetId}</c> so nothing is lost and nothing is
    /// served. Nothing to move is fine, and so is a repeat. An original written over since, or a quarantine already
    /// holding another blob, is left as it is, and the record notes why for the failure reason. True when this run moved it.
    /// </summary>
    [Function(nameof(QuarantineOriginal))]
    public async Task<bool> QuarantineOriginal([ActivityTrigger] QuarantineRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        await store.EnsureCreatedAsync(ct);
        var upload = (store.Upload(request.UploadContainer, request.UploadBlobName), AssetIds.ToETag(request.UploadETag));
        var version = request.OriginalETag is { } etag ? AssetIds.ToETag(etag) : (ETag?)null;
        var result = await store.QuarantineAsync(request.AssetId, version, _ => Task.FromResult<(BlobClient, ETag)?>(upload), ct);
        if (OriginalQuarantine.LeftInPlace(result, request.AssetId) is { } note)
        {
            logger.LogWarning("Asset {AssetId}: original left in place ({Result}): {Note}", request.AssetId, result, note);
            await store.NoteQuarantineAsync(request.AssetId, note, ct);
        }

        return result == QuarantineResult.Moved;
    }
}
