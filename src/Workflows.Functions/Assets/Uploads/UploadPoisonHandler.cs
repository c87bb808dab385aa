using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Workflows.Assets.Storage;
using Workflows.Shared.Storage;

namespace Workflows.Assets.Uploads;

/// <summary>The message the Functions host queues for a blob its trigger gave up on.</summary>
public sealed record BlobPoisonMessage(string? FunctionId, string? ContainerName, string? BlobName, string? ETag);

/// <summary>
/// After <c>poisonBlobThreshold</c> (host.json: 3) failed attempts the host stops triggering a blob and queues it on
/// <c>webjobs-blobtrigger-poison</c>. This turns that into a Failed asset with the upload in quarantine, so no upload
/// is silently lost (and the reconciliation sweep, which skips uploads with a record, leaves it alone).
/// </summary>
public sealed class UploadPoisonHandler(AssetStore store, ILogger<UploadPoisonHandler> logger)
{
    internal const string GaveUpReason =
        "The upload could not be taken into processing after repeated attempts. It is kept in quarantine; upload it again.";

    internal const string GoneReason =
        "The upload could not be taken into processing after repeated attempts, and was since removed or replaced; " +
        "upload it again if it is still needed.";

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    /// <summary>Quarantines the poisoned upload and records its asset as Failed, unless its pipeline did start after all.</summary>
    [Function(nameof(UploadPoisoned))]
    public async Task UploadPoisoned(
        [QueueTrigger(AssetStore.UploadPoisonQueue, Connection = StorageRegistration.ConnectionName)] string message,
        [DurableClient] DurableTaskClient client,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        var poison = JsonSerializer.Deserialize<BlobPoisonMessage>(message, Json);
        if (poison is not { ContainerName: { } container, BlobName: { } blobName, ETag: { } etag }
            || poison.FunctionId?.EndsWith(nameof(AssetUploadedTrigger.AssetUploaded), StringComparison.Ordinal) != true
            || container != store.Uploads.Name)
        {
            logger.LogWarning("Ignoring a poison-blob message that is not for the uploads trigger: {Message}", message);
            return;
        }

        var assetId = AssetIds.FromUpload(container, blobName, etag);
        if (await client.GetInstanceAsync(AssetIds.InstanceId(assetId), getInputsAndOutputs: false, ct) is not null)
        {
            return; // a later attempt, the HTTP path or the sweep did start it: the pipeline owns the outcome
        }

        await store.EnsureCreatedAsync(ct);
        var record = await store.FindAsync(assetId, ct) ?? AssetEntity.For(assetId);
        if (record.StatusValue is AssetStatus.Ready or AssetStatus.Failed)
        {
            return;
        }

        var quarantined = await BlobMoves.MoveAsync(store.Upload(container, blobName), store.Quarantined(assetId), AssetIds.ToETag(etag), ct);
        record.Status = nameof(AssetStatus.Failed);
        record.FailureReason = quarantined ? GaveUpReason : GoneReason;
        record.OriginalName ??= AssetNames.FromUploadBlobName(blobName);
        record.UploadContainer = container;
        record.UploadBlobName = blobName;
        record.ProcessingCompletedAt = DateTimeOffset.UtcNow;
        // Conditional on the row as read: if a pipeline started meanwhile and wrote the record, this throws and the
        // retried message finds its instance, rather than overwriting (say) Ready with Failed.
        await store.SaveAsync(record, ct);
        logger.LogError("Upload {BlobName} was poisoned; asset {AssetId} marked Failed", blobName, assetId);
    }
}
