using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Workflows.Bench.Orchestrations;

/// <summary>A workflow's shape: its activity calls, stage by stage; the calls of one stage run in parallel.</summary>
public sealed record BareShape(IReadOnlyList<int> Stages)
{
    public int Activities => Stages.Sum();

    public override string ToString() => string.Join(" → ", Stages.Select(s => s == 1 ? "1" : $"{s}‖"));
}

/// <summary>A fan-out of <c>Remaining</c> no-op calls, <c>PageSize</c> at a time, one execution per page.</summary>
public sealed record PagedFanOut(int Remaining, int PageSize);

/// <summary>
/// The bench's own orchestrations, discovered like the app's: the bare twin of a workflow (the same stages of activity
/// calls, every activity a no-op), and a large fan-out done naively or in pages the way the app's bulk reprocess does.
/// </summary>
public static class BareOrchestrations
{
    /// <summary>Calls <see cref="NoOp"/> stage by stage, as wide as the workflow it stands in for.</summary>
    [Function(nameof(BareWorkflow))]
    public static async Task<int> BareWorkflow([OrchestrationTrigger] TaskOrchestrationContext context, BareShape shape)
    {
        foreach (var width in shape.Stages)
        {
            await FanOutAsync(context, width);
        }

        return shape.Activities;
    }

    /// <summary>Every call at once, in one history.</summary>
    [Function(nameof(NaiveFanOut))]
    public static async Task<int> NaiveFanOut([OrchestrationTrigger] TaskOrchestrationContext context, int count)
    {
        await FanOutAsync(context, count);
        return count;
    }

    /// <summary>The app's bounded pattern (BulkReprocessOrchestrator): one page in parallel, then continue as new.</summary>
    [Function(nameof(PagedFanOutOrchestrator))]
    public static async Task<int> PagedFanOutOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context, PagedFanOut input)
    {
        var page = Math.Min(input.PageSize, input.Remaining);
        await FanOutAsync(context, page);
        if (input.Remaining > page)
        {
            context.ContinueAsNew(input with { Remaining = input.Remaining - page });
        }

        return page;
    }

    [Function(nameof(NoOp))]
    public static string? NoOp([ActivityTrigger] string? input) => null;

    private static async Task FanOutAsync(TaskOrchestrationContext context, int width)
    {
        List<Task<string?>> calls = new(width);
        for (var i = 0; i < width; i++)
        {
            calls.Add(context.CallActivityAsync<string?>(nameof(NoOp), context.InstanceId));
        }

        await Task.WhenAll(calls);
    }
}
