using Microsoft.DurableTask;

namespace Workflows.Assets;

/// <summary>
/// The generation of a pipeline or re-render run: its orchestration's start time in ticks, read before the first await,
/// so every replay computes the same value and a run started later outranks one started earlier. It is stamped on the
/// asset record when the run takes it (<see cref="Storage.AssetStore.ClaimRenditionsAsync"/>) and carried by its
/// render and record steps, so the writes of an older run delivered late are refused.
/// </summary>
public static class AssetGenerations
{
    public static long Of(TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.CurrentUtcDateTime.Ticks;
    }
}
