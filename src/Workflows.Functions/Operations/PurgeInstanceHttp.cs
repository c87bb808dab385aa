using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Workflows.Operations;

public sealed class PurgeInstanceHttp(ILogger<PurgeInstanceHttp> logger)
{
    /// <summary>
    /// Deletes a finished instance's history and status from the task hub; 204 when purged, 404 when unknown,
    /// 409 while it still runs (terminate it first). The business data the instance wrote stays.
    /// </summary>
    [Function(nameof(PurgeInstance))]
    public async Task<IActionResult> PurgeInstance(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "operations/instances/{instanceId}/purge")] HttpRequest req,
        string instanceId,
        [DurableClient] DurableTaskClient client)
    {
        if (!OperationsHttp.IsValidInstanceId(instanceId))
        {
            return OperationsHttp.InvalidInstanceId(req);
        }

        var instance = await client.GetInstanceAsync(instanceId, req.HttpContext.RequestAborted);
        if (instance is null)
        {
            return OperationsHttp.NotFound(req, instanceId);
        }

        if (!OperationsHttp.IsFinished(instance.RuntimeStatus))
        {
            return OperationsHttp.Conflict(req, $"Instance '{instanceId}' is {instance.RuntimeStatus}: terminate it before purging.");
        }

        var result = await client.PurgeInstanceAsync(instanceId, req.HttpContext.RequestAborted);
        logger.LogInformation("Purged instance {InstanceId} ({Count} instance(s))", instanceId, result.PurgedInstanceCount);
        return new NoContentResult();
    }
}
