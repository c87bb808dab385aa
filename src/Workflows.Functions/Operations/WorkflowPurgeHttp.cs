using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Workflows.Shared.Http;

namespace Workflows.Operations;

/// <summary>Purging finished instances from the task hub (admin key). Business records (orders, assets) stay.</summary>
public sealed class WorkflowPurgeHttp(InstancePurger purger, IOptions<OperationsOptions> options, TimeProvider time)
{
    private const int MaxBodyBytes = 4 * 1024;

    /// <summary>
    /// Deletes a finished instance's history and status, and its sub-orchestrations': 200 <c>{purged}</c>; 404 when
    /// unknown; 409 while it or one of its sub-orchestrations still runs (terminate it first); 503 when a feature's
    /// clean-up before the purge failed (nothing purged).
    /// </summary>
    [Function(nameof(PurgeWorkflow))]
    public async Task<IActionResult> PurgeWorkflow(
        [HttpTrigger(AuthorizationLevel.Admin, "delete", Route = "workflows/{instanceId}")] HttpRequest req,
        string instanceId,
        [DurableClient] DurableTaskClient client)
    {
        var (instance, problem) = await OperationsHttp.FindAsync(req, client, instanceId);
        if (instance is null)
        {
            return problem!;
        }

        if (!OperationsHttp.IsFinished(instance.RuntimeStatus))
        {
            return OperationsHttp.Conflict(req, $"Instance '{instanceId}' is {instance.RuntimeStatus}: terminate it before purging.");
        }

        var tree = await purger.PurgeTreeAsync(client, instance, req.HttpContext.RequestAborted);
        if (tree.StillRunning.Count > 0)
        {
            return OperationsHttp.Conflict(req, $"Sub-orchestrations of '{instanceId}' still run: {string.Join(", ", tree.StillRunning)}. Terminate them first.");
        }

        // The storage exception was logged by the purger; its text (URLs, request ids, storage error codes) is not answered.
        return tree.CleanupFailedFor is { } failedFor
            ? OperationsHttp.Unavailable(req, $"Nothing was purged: the clean-up before purging '{failedFor}' failed (logged). Try again later.")
            : new OkObjectResult(new WorkflowsPurged(tree.Purged, More: false));
    }

    /// <summary>
    /// Purges finished instances by status and age: body <c>{"statuses": ["Completed", ...], "olderThanDays": 7}</c>
    /// (statuses default to all finished ones). At most <c>Operations:PurgeBatchSize</c> per call: repeat while the
    /// answer says <c>more</c>.
    /// </summary>
    [Function(nameof(PurgeWorkflows))]
    public async Task<IActionResult> PurgeWorkflows(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "workflows/purge")] HttpRequest req,
        [DurableClient] DurableTaskClient client)
    {
        var (body, badBody) = await OperationsHttp.ReadJsonAsync(req, MaxBodyBytes);
        if (badBody is not null)
        {
            return badBody;
        }

        PurgeWorkflowsRequest? request;
        try
        {
            request = body?.Deserialize<PurgeWorkflowsRequest>(JsonSerializerOptions.Web);
        }
        catch (JsonException ex)
        {
            return OperationsHttp.BadRequest(req, $"The body is {{\"statuses\": [...], \"olderThanDays\": n}}: {ex.Message}");
        }

        if (request?.OlderThanDays is not { } days || days is < 0 or > 36500)
        {
            return OperationsHttp.BadRequest(req, "'olderThanDays' is required: a number of days from 0 to 36500.");
        }

        List<OrchestrationRuntimeStatus> statuses = [];
        foreach (var text in request.Statuses ?? [])
        {
            if (!ListQuery.TryParseName(text, out OrchestrationRuntimeStatus status) || !OperationsHttp.IsFinished(status))
            {
                return OperationsHttp.BadRequest(req, $"'{text}' is not a finished status: use {string.Join(", ", OperationsHttp.Finished)}.");
            }

            statuses.Add(status);
        }

        var cutoff = time.GetUtcNow().AddDays(-days);
        var result = await purger.PurgeFinishedAsync(
            client, statuses.Count == 0 ? OperationsHttp.Finished : statuses, cutoff, options.Value.PurgeBatchSize, req.HttpContext.RequestAborted);
        return new OkObjectResult(result);
    }
}
