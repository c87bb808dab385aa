using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Workflows.Assets.Storage;
using Workflows.Shared.Http;

namespace Workflows.Assets.Http;

/// <summary><c>DELETE /api/assets/{id}</c>: removes the original, renditions, quarantined copy and record.</summary>
public sealed class DeleteAssetHttp(AssetStore store, ILogger<DeleteAssetHttp> logger)
{
    /// <summary>
    /// Idempotent: 204 whether or not anything was left to delete; 409 while the asset is Processing and its pipeline
    /// instance is still running (it would write renditions after the delete), or its upload has not been taken in yet
    /// (a starter recorded it and is starting its pipeline, which would register it again). A record left Processing by a pipeline
    /// that ended (or was purged) can be deleted. The record is closed to renditions first and goes last, so a failed
    /// delete can be repeated.
    /// </summary>
    [Function(nameof(DeleteAsset))]
    public async Task<IActionResult> DeleteAsset(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "assets/{id}")] HttpRequest req,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(req);
        ArgumentNullException.ThrowIfNull(client);
        if (!AssetIds.IsValid(id))
        {
            return AssetProblems.NotFound(id);
        }

        await store.EnsureCreatedAsync(ct);
        if (await store.FindAsync(id, ct) is { StatusValue: AssetStatus.Processing } processing
            && (await IsUploadWaitingAsync(processing, ct) || await IsPipelineRunningAsync(client, id, ct)))
        {
            return ApiResults.Problem(StatusCodes.Status409Conflict, "Asset is processing",
                $"Asset '{id}' is still being processed; delete it once its pipeline has finished.");
        }

        // Closed to renditions before they are deleted: a late render writing after the deletion removes its own writes.
        await store.CloseRenditionsAsync(id, ct);
        var renditions = await store.DeleteRenditionsAsync(id, ct);
        await store.Original(id).DeleteIfExistsAsync(cancellationToken: ct);
        await store.Quarantined(id).DeleteIfExistsAsync(cancellationToken: ct);
        await store.DeleteRecordAsync(id, ct);
        logger.LogInformation("Deleted asset {AssetId} ({Renditions} renditions)", id, renditions);
        return new NoContentResult();
    }

    // The very upload version the asset was recorded for is still there: its pipeline has not taken it in (a starter
    // wrote the record and is starting it, or the start was lost and SweepUploads will start it). Deleting now would
    // let that pipeline register the asset again. Checked before the instance: the pipeline deletes the upload only
    // after it started, so either the upload is still there or the instance is.
    private async Task<bool> IsUploadWaitingAsync(AssetEntity record, CancellationToken ct)
    {
        if (record is not { UploadContainer: { Length: > 0 } container, UploadBlobName: { Length: > 0 } blobName })
        {
            return false;
        }

        try
        {
            var upload = await store.Upload(container, blobName).GetPropertiesAsync(cancellationToken: ct);
            return AssetIds.FromUpload(container, blobName, upload.Value.ETag) == record.Id;
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    // Pending, Running or Suspended. A record still Processing once the instance ended means MarkAssetFailed itself
    // failed (e.g. a table outage) or it was terminated: only StuckAssetSweep will touch the asset, and deleting it is fine.
    private static async Task<bool> IsPipelineRunningAsync(DurableTaskClient client, string id, CancellationToken ct) =>
        await client.GetInstanceAsync(AssetIds.InstanceId(id), getInputsAndOutputs: false, ct) is { IsCompleted: false };
}
