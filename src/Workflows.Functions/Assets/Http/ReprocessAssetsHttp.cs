using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Workflows.Assets.Uploads;
using Workflows.Shared;
using Workflows.Shared.Http;

namespace Workflows.Assets.Http;

/// <summary>The 202 body of a started bulk reprocess, and what its status URL returns.</summary>
public sealed record ReprocessAccepted(string InstanceId, string StatusUri);

public sealed record ReprocessStatus(string InstanceId, string RuntimeStatus, BulkReprocessProgress? Progress);

/// <summary>Bulk reprocess endpoints (admin key): re-render every Ready asset, e.g. after a profile change.</summary>
public sealed class ReprocessAssetsHttp(AssetStarter starter, IOptions<AssetOptions> options)
{
    /// <summary>The one bulk reprocess instance: a fixed id, so two sweeps never run over the same assets at once.</summary>
    public const string InstanceId = "assets-reprocess";

    private static readonly OrchestrationRuntimeStatus[] Unfinished =
        [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];

    /// <summary>
    /// <c>POST /api/assets/reprocess</c>: starts the <see cref="BulkReprocessOrchestrator"/>, 202 with its status URL;
    /// 409 while a reprocess is still running. A finished one (completed, failed or terminated) is replaced.
    /// </summary>
    [Function(nameof(ReprocessAssets))]
    public async Task<IActionResult> ReprocessAssets(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "assets/reprocess")] HttpRequest req,
        [DurableClient] DurableTaskClient client,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(req);
        ArgumentNullException.ThrowIfNull(client);
        var statusUri = ApiResults.Url(req, $"assets/reprocess/{InstanceId}");
        if (await client.GetInstanceAsync(InstanceId, getInputsAndOutputs: false, ct) is { IsCompleted: false })
        {
            return AlreadyRunning(statusUri);
        }

        // Names this run's sub-orchestrations, so they never collide with those of an earlier run.
        var runId = $"{DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..8]}";
        var input = new BulkReprocessRequest(runId, options.Value.ReprocessPageSize, starter.Retry, null, BulkReprocessProgress.None);
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(BulkReprocessOrchestrator), input, new StartOrchestrationOptions(InstanceId).WithDedupeStatuses(Unfinished), ct);
        }
        catch (Exception ex) when (InstanceStarts.IsAlreadyExists(ex))
        {
            return AlreadyRunning(statusUri); // a concurrent request started it first
        }

        return new AcceptedResult(statusUri, new ReprocessAccepted(InstanceId, statusUri));
    }

    /// <summary><c>GET /api/assets/reprocess/{instanceId}</c>: runtime status and progress (pages, processed, failed).</summary>
    [Function(nameof(GetReprocessStatus))]
    public async Task<IActionResult> GetReprocessStatus(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "assets/reprocess/{instanceId}")] HttpRequest req,
        string instanceId,
        [DurableClient] DurableTaskClient client,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        var metadata = instanceId == InstanceId
            ? await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct)
            : null;
        if (metadata is null)
        {
            return ApiResults.Problem(StatusCodes.Status404NotFound, "Reprocess not found", $"There is no reprocess '{instanceId}'.");
        }

        var progress = metadata.IsCompleted && metadata.SerializedOutput is not null
            ? metadata.ReadOutputAs<BulkReprocessProgress>()
            : metadata.ReadCustomStatusAs<BulkReprocessProgress>();
        return new OkObjectResult(new ReprocessStatus(instanceId, metadata.RuntimeStatus.ToString(), progress));
    }

    private static ObjectResult AlreadyRunning(string statusUri) =>
        ApiResults.Problem(StatusCodes.Status409Conflict, "Reprocess already running",
            $"A bulk reprocess is still running: follow it at {statusUri} and start another once it has finished.");
}
