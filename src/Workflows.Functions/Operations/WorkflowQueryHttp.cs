using System.Text.RegularExpressions;
using DurableTask.Core.History;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Workflows.Shared.Http;

namespace Workflows.Operations;

/// <summary>Read endpoints over every orchestration instance in the task hub (admin key).</summary>
public static partial class WorkflowQueryHttp
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 100;

    // Each page of the engine's list is asked for only as many instances as the page still lacks, so a name filter
    // never overfills a page; this many engine pages at most per request (the page may then be short).
    private const int MaxEnginePages = 20;

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,100}$")]
    internal static partial Regex NamePattern();

    /// <summary>
    /// Lists instances of any orchestration: <c>name</c>, <c>status</c> (comma-separated runtime statuses),
    /// <c>createdFrom</c> (inclusive), <c>createdTo</c> (exclusive), <c>instanceIdPrefix</c>, <c>pageSize</c> (1-100,
    /// default 25) and <c>continuationToken</c>. A page may be shorter than asked for; follow the token until it is null.
    /// </summary>
    [Function(nameof(ListWorkflows))]
    public static async Task<IActionResult> ListWorkflows(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "workflows")] HttpRequest req,
        [DurableClient] DurableTaskClient client)
    {
        var query = new ListQuery(req);
        var name = query.Text("name", n => NamePattern().IsMatch(n), "must be an orchestrator name: letters, digits, '_', '.' or '-'");
        var statuses = query.Enums<OrchestrationRuntimeStatus>("status");
        var (from, to) = query.TimeRange("created");
        var prefix = query.Text("instanceIdPrefix", OperationsHttp.IsValidInstanceId, "must be the start of an instance ID (no '/', '\\', '#', '?' or control characters)");
        var pageSize = query.PageSize(DefaultPageSize, MaxPageSize);
        var token = query.Continuation();
        if (query.Problem() is { } problem)
        {
            return problem;
        }

        List<WorkflowSummary> items = [];
        var engineQuery = new OrchestrationQuery
        {
            CreatedFrom = from,
            CreatedTo = to?.AddTicks(-1),
            Statuses = statuses.Count == 0 ? null : statuses,
            InstanceIdPrefix = prefix,
            ContinuationToken = token,
        };
        for (var pages = 0; pages < MaxEnginePages && items.Count < pageSize; pages++)
        {
            Page<OrchestrationMetadata> page;
            try
            {
                page = await PageAsync(client, engineQuery with { PageSize = pageSize - items.Count }, req.HttpContext.RequestAborted);
            }
            catch (Exception ex) when (pages == 0 && token is not null && ex is not OperationCanceledException)
            {
                if (!await WorksWithoutTokenAsync(client, engineQuery, req.HttpContext.RequestAborted))
                {
                    throw;
                }

                return ApiResults.ValidationProblem(
                    new Dictionary<string, string[]> { [ListQuery.ContinuationParameter] = ["is not a position of this task hub (pass back 'continuationToken' unchanged)"] },
                    "Invalid query.",
                    "See 'errors': every bad parameter is listed.");
            }

            items.AddRange(page.Values
                .Where(i => name is null || string.Equals(i.Name, name, StringComparison.OrdinalIgnoreCase))
                .Select(i => WorkflowSummary.From(i, OperationsHttp.WorkflowUrl(req, i.InstanceId))));
            engineQuery = engineQuery with { ContinuationToken = page.ContinuationToken };
            if (page.ContinuationToken is null)
            {
                break;
            }
        }

        var next = engineQuery.ContinuationToken is { } position ? ContinuationTokens.Encode(position) : null;
        return new OkObjectResult(new ListPage<WorkflowSummary>(items, next));
    }

    private static Task<Page<OrchestrationMetadata>> PageAsync(DurableTaskClient client, OrchestrationQuery query, CancellationToken ct) =>
        client.GetAllInstancesAsync(query).AsPages(query.ContinuationToken).FirstAsync(ct).AsTask();

    /// <summary>
    /// The checksum only proves a token was not garbled: anyone can build one around any text. When the engine fails on
    /// a page after such a token, the same query without it tells a bad token (400) from a task hub that is down (500).
    /// </summary>
    private static async Task<bool> WorksWithoutTokenAsync(DurableTaskClient client, OrchestrationQuery query, CancellationToken ct)
    {
        try
        {
            await PageAsync(client, query with { ContinuationToken = null, PageSize = 1 }, ct);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// One instance: runtime status, custom status and failure, plus <c>?input=true</c>, <c>?output=true</c> and
    /// <c>?history=true</c> when wanted. 404 when unknown.
    /// </summary>
    [Function(nameof(GetWorkflow))]
    public static async Task<IActionResult> GetWorkflow(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "workflows/{instanceId}")] HttpRequest req,
        string instanceId,
        [DurableClient] DurableTaskClient client)
    {
        var query = new ListQuery(req);
        var (input, output, history) = (query.Flag("input"), query.Flag("output"), query.Flag("history"));
        if (query.Problem() is { } badQuery)
        {
            return badQuery;
        }

        // Custom status (like input and output) only comes back with inputs and outputs.
        var (instance, problem) = await OperationsHttp.FindAsync(req, client, instanceId, getInputsAndOutputs: true);
        if (instance is null)
        {
            return problem!;
        }

        var events = history ? await HistoryAsync(client, instanceId, req.HttpContext.RequestAborted) : null;
        return new OkObjectResult(WorkflowDetails.From(instance, input, output, events));
    }

    private static async Task<IReadOnlyList<WorkflowHistoryEvent>> HistoryAsync(DurableTaskClient client, string instanceId, CancellationToken ct)
    {
        var events = await client.GetOrchestrationHistoryAsync(instanceId, ct);
        return events.Select(e => new WorkflowHistoryEvent(e.EventId, e.EventType.ToString(), e.Timestamp, NameOf(e), DetailOf(e))).ToList();
    }

    private static string? NameOf(HistoryEvent e) => e switch
    {
        ExecutionStartedEvent started => started.Name,
        TaskScheduledEvent task => task.Name,
        SubOrchestrationInstanceCreatedEvent sub => sub.Name,
        EventRaisedEvent raised => raised.Name,
        EventSentEvent sent => sent.Name,
        _ => null,
    };

    private static string? DetailOf(HistoryEvent e) => e switch
    {
        TaskCompletedEvent done => $"scheduled #{done.TaskScheduledId}",
        TaskFailedEvent failed => $"scheduled #{failed.TaskScheduledId}: {failed.FailureDetails?.ErrorMessage ?? failed.Reason}",
        SubOrchestrationInstanceCreatedEvent sub => sub.InstanceId,
        SubOrchestrationInstanceFailedEvent failed => failed.FailureDetails?.ErrorMessage ?? failed.Reason,
        TimerCreatedEvent timer => $"fires {timer.FireAt:o}",
        ExecutionCompletedEvent completed => completed.OrchestrationStatus.ToString(),
        ExecutionTerminatedEvent terminated => terminated.Input,
        _ => null,
    };
}
