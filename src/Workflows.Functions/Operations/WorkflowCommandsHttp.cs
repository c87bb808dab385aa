using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Workflows.Operations;

/// <summary>
/// Operator commands on any instance (admin key). Each answers 202 with the instance's URL once the engine has the
/// command, 404 for an unknown instance and 409 when the instance is in a state the command does not apply to.
/// These act on the engine only: use a workflow's own endpoints (e.g. cancelling an order) for business actions.
/// </summary>
public sealed class WorkflowCommandsHttp(ILogger<WorkflowCommandsHttp> logger)
{
    private const int MaxReasonBytes = 4 * 1024;
    private const int MaxEventBytes = 64 * 1024;

    /// <summary>Suspends a running instance: it stops at its next await until resumed (events are kept meanwhile).</summary>
    [Function(nameof(SuspendWorkflow))]
    public Task<IActionResult> SuspendWorkflow(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "workflows/{instanceId}/suspend")] HttpRequest req,
        string instanceId,
        [DurableClient] DurableTaskClient client) =>
        WithReasonAsync(req, client, instanceId, "suspend",
            s => s is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending,
            (reason, ct) => client.SuspendInstanceAsync(instanceId, reason, ct));

    /// <summary>Resumes a suspended instance.</summary>
    [Function(nameof(ResumeWorkflow))]
    public Task<IActionResult> ResumeWorkflow(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "workflows/{instanceId}/resume")] HttpRequest req,
        string instanceId,
        [DurableClient] DurableTaskClient client) =>
        WithReasonAsync(req, client, instanceId, "resume",
            s => s is OrchestrationRuntimeStatus.Suspended,
            (reason, ct) => client.ResumeInstanceAsync(instanceId, reason, ct));

    /// <summary>
    /// Terminates an unfinished instance (optional body <c>{"reason": "..."}</c>); its compensations do not run, so an
    /// orchestration marked <see cref="Shared.TerminateSkipsCompensationsAttribute"/> (an order's saga) is refused with
    /// 409 naming what to do instead, unless asked with <c>?force=true</c>.
    /// </summary>
    [Function(nameof(TerminateWorkflow))]
    public Task<IActionResult> TerminateWorkflow(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "workflows/{instanceId}/terminate")] HttpRequest req,
        string instanceId,
        [DurableClient] DurableTaskClient client)
    {
        var query = new Shared.Http.ListQuery(req);
        var force = query.Flag("force");
        if (query.Problem() is { } badQuery)
        {
            return Task.FromResult<IActionResult>(badQuery);
        }

        return WithReasonAsync(req, client, instanceId, "terminate",
            s => !OperationsHttp.IsFinished(s),
            (reason, ct) => client.TerminateInstanceAsync(instanceId, new TerminateInstanceOptions(reason), ct),
            instance => !force && OperatorPolicy.InsteadOfTerminate(instance.Name) is { } instead
                ? $"Terminating '{instanceId}' ({instance.Name}) skips its compensations. {instead} Add ?force=true to terminate it anyway."
                : null);
    }

    /// <summary>
    /// Starts a finished instance again with the same input. By default under the same instance id (its history is
    /// replaced); with <c>?newInstanceId=true</c> under a new id, leaving the old instance as it is. The 202 body says
    /// which id runs now and whether it was reused. Orchestrations marked <see cref="Shared.NotRestartableAttribute"/>
    /// (an order's saga, for one) are refused with 409 whatever their state.
    /// </summary>
    [Function(nameof(RestartWorkflow))]
    public async Task<IActionResult> RestartWorkflow(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "workflows/{instanceId}/restart")] HttpRequest req,
        string instanceId,
        [DurableClient] DurableTaskClient client)
    {
        var query = new Shared.Http.ListQuery(req);
        var newId = query.Flag("newInstanceId");
        if (query.Problem() is { } badQuery)
        {
            return badQuery;
        }

        var (instance, problem) = await OperationsHttp.FindAsync(req, client, instanceId);
        if (instance is null)
        {
            return problem!;
        }

        if (OperatorPolicy.WhyNotRestart(instance.Name) is { } refusal)
        {
            return OperationsHttp.Conflict(req, $"Instance '{instanceId}' is a {instance.Name}, which cannot be restarted: {refusal}");
        }

        if (!OperationsHttp.IsFinished(instance.RuntimeStatus))
        {
            return OperationsHttp.Conflict(req, $"Instance '{instanceId}' is {instance.RuntimeStatus}: only finished instances can be restarted.");
        }

        var restarted = await client.RestartAsync(instanceId, restartWithNewInstanceId: newId, req.HttpContext.RequestAborted);
        logger.LogWarning("Restarted instance {InstanceId} as {NewInstanceId}", instanceId, restarted);
        var url = OperationsHttp.WorkflowUrl(req, restarted);
        return new AcceptedResult(url, new WorkflowRestarted(restarted, instanceId, restarted == instanceId, url));
    }

    /// <summary>Raises the external event <c>{eventName}</c> with the JSON body (at most 64 KB; none means null) as its payload.</summary>
    [Function(nameof(RaiseWorkflowEvent))]
    public async Task<IActionResult> RaiseWorkflowEvent(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "workflows/{instanceId}/events/{eventName}")] HttpRequest req,
        string instanceId,
        string eventName,
        [DurableClient] DurableTaskClient client)
    {
        if (!WorkflowQueryHttp.NamePattern().IsMatch(eventName))
        {
            return OperationsHttp.BadRequest(req, "An event name has 1-100 letters, digits, '_', '.' or '-'.");
        }

        var (payload, badBody) = await OperationsHttp.ReadJsonAsync(req, MaxEventBytes);
        if (badBody is not null)
        {
            return badBody;
        }

        var (instance, problem) = await OperationsHttp.FindAsync(req, client, instanceId);
        if (instance is null)
        {
            return problem!;
        }

        if (OperationsHttp.IsFinished(instance.RuntimeStatus))
        {
            return OperationsHttp.Conflict(req, $"Instance '{instanceId}' already finished ({instance.RuntimeStatus}): nothing would receive the event.");
        }

        await client.RaiseEventAsync(instanceId, eventName, payload, req.HttpContext.RequestAborted);
        logger.LogInformation("Raised event {EventName} on instance {InstanceId}", eventName, instanceId);
        return OperationsHttp.Accepted(req, instanceId, $"event {eventName}");
    }

    private async Task<IActionResult> WithReasonAsync(
        HttpRequest req, DurableTaskClient client, string instanceId, string command,
        Func<OrchestrationRuntimeStatus, bool> applies, Func<string?, CancellationToken, Task> send,
        Func<OrchestrationMetadata, string?>? refusal = null)
    {
        var (body, badBody) = await OperationsHttp.ReadJsonAsync(req, MaxReasonBytes);
        if (badBody is not null)
        {
            return badBody;
        }

        string? reason;
        try
        {
            reason = body?.Deserialize<WorkflowReason>(JsonSerializerOptions.Web)?.Reason;
        }
        catch (JsonException ex)
        {
            return OperationsHttp.BadRequest(req, $"The body is {{\"reason\": \"...\"}}: {ex.Message}");
        }

        var (instance, problem) = await OperationsHttp.FindAsync(req, client, instanceId);
        if (instance is null)
        {
            return problem!;
        }

        if (!applies(instance.RuntimeStatus))
        {
            return OperationsHttp.Conflict(req, $"Cannot {command} instance '{instanceId}' while it is {instance.RuntimeStatus}.");
        }

        if (refusal?.Invoke(instance) is { } refused)
        {
            return OperationsHttp.Conflict(req, refused);
        }

        await send(reason, req.HttpContext.RequestAborted);
        logger.LogWarning("{Command} requested for instance {InstanceId}: {Reason}", command, instanceId, reason ?? "(no reason)");
        return OperationsHttp.Accepted(req, instanceId, command);
    }
}
