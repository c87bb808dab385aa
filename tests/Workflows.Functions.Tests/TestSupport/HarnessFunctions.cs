using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Workflows.Tests.TestSupport;

public sealed record FanOutRequest(int Count);

public sealed record SquareRequest(string Key, int Value);

/// <summary>Test-only: fans out one activity per item and sums the results.</summary>
public static class HarnessFanOutOrchestrator
{
    [Function(nameof(HarnessFanOutOrchestrator))]
    public static async Task<long> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context, FanOutRequest input)
    {
        List<Task<int>> squares = new(input.Count);
        for (var i = 1; i <= input.Count; i++)
        {
            squares.Add(context.CallActivityAsync<int>(nameof(HarnessActivities.Square), new SquareRequest($"{context.InstanceId}:square:{i}", i)));
        }

        var results = await Task.WhenAll(squares);
        return results.Sum(r => (long)r);
    }
}

/// <summary>Test-only: reports a custom status, then waits for the "go" event and returns its payload.</summary>
public static class HarnessWaitOrchestrator
{
    [Function(nameof(HarnessWaitOrchestrator))]
    public static async Task<string> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context, string stage)
    {
        context.SetCustomStatus(new { stage });
        return await context.WaitForExternalEvent<string>("go");
    }
}

/// <summary>Test-only activities with the app's shapes: instance methods, typed input, optional cancellation token.</summary>
public sealed class HarnessActivities(ILogger<HarnessActivities> logger)
{
    [Function(nameof(Square))]
    public Task<int> Square([ActivityTrigger] SquareRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(request.Value * request.Value);

    [Function(nameof(Echo))]
    public string Echo([ActivityTrigger] string text)
    {
        logger.LogDebug("Echo {Text}", text);
        return text;
    }
}

/// <summary>Test-only HTTP starter: validates, schedules with a business instance ID, answers 202 or a problem.</summary>
public static class HarnessStartHttp
{
    [Function(nameof(HarnessStartHttp))]
    public static async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "harness/{id}")] HttpRequest req,
        string id,
        [DurableClient] DurableTaskClient client)
    {
        var input = await req.ReadFromJsonAsync<FanOutRequest>();
        if (input is null || input.Count <= 0)
        {
            return new ObjectResult(new ProblemDetails { Status = 400, Title = "Count must be positive." }) { StatusCode = 400 };
        }

        var instanceId = await client.ScheduleNewOrchestrationInstanceAsync(
            nameof(HarnessFanOutOrchestrator), input, new StartOrchestrationOptions(InstanceId: $"harness-{id}"));
        return new AcceptedResult($"/api/operations/instances/{instanceId}", new { id = instanceId });
    }
}
