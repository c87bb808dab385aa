using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Workflows.Assets.Uploads;
using Workflows.Shared.Http;

namespace Workflows.Assets.Http;

/// <summary>The 202 body of a started bulk reprocess, and what its status URL returns.</summary>
public sealed record ReprocessAccepted(string InstanceId, string StatusUri);

public sealed record ReprocessStatus(string InstanceId, string RuntimeStatus, BulkReprocessProgress? Progress);

/// <summary>Bulk reprocess endpoints (admin key): re-render every Ready asset, e.g. after a profile change.</summary>
public sealed class ReprocessAssetsHttp(AssetStarter starter, IOptions<AssetOptions> options)
{
    private const string InstancePrefix = "assets-reprocess-";

    /// <summary><c>POST /api/assets/reprocess</c>: starts a <see cref="BulkReprocessOrchestrator"/>; 202 with its status URL.</summary>
    [Function(nameof(ReprocessAssets))]
    public async Task<IActionResult> ReprocessAssets(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "assets/reprocess")] HttpRequest req,
        [DurableClient] DurableTaskClient client,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(req);
        ArgumentNullException.ThrowIfNull(client);
        var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var instanceId = $"{InstancePrefix}{stamp}-{Guid.NewGuid():N}"[..(InstancePrefix.Length + 14 + 1 + 8)];
        var input = new BulkReprocessRequest(options.Value.ReprocessPageSize, starter.Retry, null, BulkReprocessProgress.None);
        await client.ScheduleNewOrchestrationInstanceAsync(
            nameof(BulkReprocessOrchestrator), input, new StartOrchestrationOptions(instanceId), ct);

        var statusUri = ApiResults.Url(req, $"assets/reprocess/{instanceId}");
        return new AcceptedResult(statusUri, new ReprocessAccepted(instanceId, statusUri));
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
        var metadata = instanceId.StartsWith(InstancePrefix, StringComparison.Ordinal)
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
}
