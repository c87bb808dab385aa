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
    /// instance is still running (it would write renditions after the delete). A record left Processing by a pipeline
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
        if (await store.FindAsync(id, ct) is { StatusValue: AssetStatus.Processing } && await IsPipelineRunningAsync(client, id, ct))
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

    // Pending, Running or Suspended. A record still Processing once the instance ended means MarkAssetFailed itself
    // failed (e.g. a table outage) or it was terminated: only StuckAssetSweep will touch the asset, and deleting it is fine.
    private static async Task<bool> IsPipelineRunningAsync(DurableTaskClient client, string id, CancellationToken ct) =>
        await client.GetInstanceAsync(AssetIds.InstanceId(id), getInputsAndOutputs: false, ct) is { IsCompleted: false };
}
