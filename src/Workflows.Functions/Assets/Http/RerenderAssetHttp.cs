using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Workflows.Assets.Storage;
using Workflows.Assets.Uploads;
using Workflows.Shared;
using Workflows.Shared.Http;

namespace Workflows.Assets.Http;

/// <summary>The 202 body of a started re-render.</summary>
public sealed record RerenderAccepted(string Id, string InstanceId, string StatusUri);

/// <summary><c>POST /api/assets/{id}/rerender</c>: re-renders one Ready asset with the current rendition profile.</summary>
public sealed class RerenderAssetHttp(AssetStore store, AssetStarter starter, IAssetImaging imaging)
{
    /// <summary>
    /// Starts an <see cref="AssetRerenderOrchestrator"/> for the asset (instance <c>asset-{id}:rerender</c>, one at a
    /// time per asset): 202; 404 for an unknown asset or a Ready one being deleted (closed to renditions); 409 unless it
    /// is Ready or while a re-render of it runs. The result shows on the asset as <c>reprocessedAt</c> /
    /// <c>reprocessError</c>.
    /// </summary>
    [Function(nameof(RerenderAsset))]
    public async Task<IActionResult> RerenderAsset(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "assets/{id}/rerender")] HttpRequest req,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!AssetIds.IsValid(id))
        {
            return AssetProblems.NotFound(id);
        }

        await store.EnsureCreatedAsync(ct);
        var asset = await store.FindAsync(id, ct);
        if (asset is null)
        {
            return AssetProblems.NotFound(id);
        }

        if (asset.StatusValue != AssetStatus.Ready)
        {
            return ApiResults.Problem(StatusCodes.Status409Conflict, "Asset is not ready", $"Asset '{id}' is {asset.Status}: only Ready assets can be re-rendered.");
        }

        // Ready but closed to renditions: a delete is half done (its re-render's result would be dropped), so deleted.
        if (asset.RenditionsClosed == true)
        {
            return AssetProblems.NotFound(id);
        }

        var instanceId = InstanceStarts.ChildId(AssetIds.InstanceId(id), "rerender");
        if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, ct) is { IsCompleted: false })
        {
            return Running(id);
        }

        try
        {
            // A finished re-render may be replaced by a new one; a running one may not.
            await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(AssetRerenderOrchestrator),
                new RerenderAssetRequest(id, imaging.Profile.Chains, starter.Retry),
                new StartOrchestrationOptions(instanceId).WithDedupeStatuses(
                    OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended),
                ct);
        }
        catch (Exception ex) when (InstanceStarts.IsAlreadyExists(ex))
        {
            return Running(id); // lost a race with another request
        }

        var statusUri = ApiResults.Url(req, $"assets/{id}");
        return new AcceptedResult(statusUri, new RerenderAccepted(id, instanceId, statusUri));
    }

    private static ObjectResult Running(string id) =>
        ApiResults.Problem(StatusCodes.Status409Conflict, "Re-render running", $"Asset '{id}' is being re-rendered already.");
}
