using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Workflows.Operations;

public sealed class TerminateInstanceHttp(ILogger<TerminateInstanceHttp> logger)
{
    private const int MaxReasonLength = 1000;

    /// <summary>
    /// Asks the engine to terminate a running instance (optional body <c>{"reason": "..."}</c>); 202 with the status URL,
    /// 404 when unknown, 409 when it already finished. Termination skips compensations: use it for stuck instances.
    /// </summary>
    [Function(nameof(TerminateInstance))]
    public async Task<IActionResult> TerminateInstance(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "operations/instances/{instanceId}/terminate")] HttpRequest req,
        string instanceId,
        [DurableClient] DurableTaskClient client)
    {
        if (!OperationsHttp.IsValidInstanceId(instanceId))
        {
            return OperationsHttp.InvalidInstanceId(req);
        }

        string? reason = null;
        if (req.ContentLength is > 0 || req.Headers.TransferEncoding.Count > 0)
        {
            try
            {
                reason = (await req.ReadFromJsonAsync<TerminateInstanceRequest>(req.HttpContext.RequestAborted))?.Reason;
            }
            catch (JsonException ex)
            {
                return OperationsHttp.BadRequest(req, $"The body is not valid JSON: {ex.Message}");
            }

            if (reason?.Length > MaxReasonLength)
            {
                return OperationsHttp.BadRequest(req, $"The reason has at most {MaxReasonLength} characters.");
            }
        }

        var instance = await client.GetInstanceAsync(instanceId, req.HttpContext.RequestAborted);
        if (instance is null)
        {
            return OperationsHttp.NotFound(req, instanceId);
        }

        if (OperationsHttp.IsFinished(instance.RuntimeStatus))
        {
            return OperationsHttp.Conflict(req, $"Instance '{instanceId}' already finished ({instance.RuntimeStatus}).");
        }

        await client.TerminateInstanceAsync(instanceId, new TerminateInstanceOptions(reason), req.HttpContext.RequestAborted);
        logger.LogWarning("Terminate requested for instance {InstanceId}: {Reason}", instanceId, reason ?? "(no reason)");
        var statusUrl = OperationsHttp.StatusUrl(req, instanceId);
        return new AcceptedResult(statusUrl, new { id = instanceId, statusUrl });
    }
}
