using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Workflows.Operations;

public static class InstanceStatusHttp
{
    /// <summary>
    /// Status of any orchestration instance: runtime status, custom status, output or failure (internals, so the admin
    /// key); 404 when unknown.
    /// </summary>
    [Function(nameof(GetInstanceStatus))]
    public static async Task<IActionResult> GetInstanceStatus(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "operations/instances/{instanceId}")] HttpRequest req,
        string instanceId,
        [DurableClient] DurableTaskClient client)
    {
        if (!OperationsHttp.IsValidInstanceId(instanceId))
        {
            return OperationsHttp.InvalidInstanceId(req);
        }

        // Custom status and output only come back with inputs and outputs.
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, req.HttpContext.RequestAborted);
        return instance is null
            ? OperationsHttp.NotFound(req, instanceId)
            : new OkObjectResult(InstanceStatusResponse.From(instance));
    }
}
