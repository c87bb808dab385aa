using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Workflows.Shared.Http;

namespace Workflows.Assets;

/// <summary><c>DELETE /api/assets/{id}</c>: removes the original, renditions, quarantined copy and record.</summary>
public sealed class DeleteAssetHttp(AssetStore store, ILogger<DeleteAssetHttp> logger)
{
    /// <summary>
    /// Idempotent: 204 whether or not anything was left to delete; 409 while the asset is still processing (its
    /// pipeline would write renditions after the delete). The record goes last, so a failed delete can be repeated.
    /// </summary>
    [Function(nameof(DeleteAsset))]
    public async Task<IActionResult> DeleteAsset(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "assets/{id}")] HttpRequest req,
        string id,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(req);
        if (!AssetIds.IsValid(id))
        {
            return AssetProblems.NotFound(id);
        }

        await store.EnsureCreatedAsync();
        if (await store.FindAsync(id, ct) is { StatusValue: AssetStatus.Processing })
        {
            return ApiResults.Problem(StatusCodes.Status409Conflict, "Asset is processing",
                $"Asset '{id}' is still being processed; delete it once its status is Ready or Failed.");
        }

        var renditions = await store.DeleteRenditionsAsync(id, ct);
        await store.Original(id).DeleteIfExistsAsync(cancellationToken: ct);
        await store.Quarantined(id).DeleteIfExistsAsync(cancellationToken: ct);
        await store.DeleteRecordAsync(id, ct);
        logger.LogInformation("Deleted asset {AssetId} ({Renditions} renditions)", id, renditions);
        return new NoContentResult();
    }
}
