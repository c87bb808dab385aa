using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Workflows.Shared;

namespace Workflows.Assets;

/// <summary>
/// Re-renders one Ready asset with the current profile (a sub-orchestration of the bulk reprocess): the same rendering
/// step as the pipeline, overwriting renditions in place; the result, success or error, goes on the asset's record.
/// </summary>
public static class AssetRerenderOrchestrator
{
    [Function(nameof(AssetRerenderOrchestrator))]
    [NotRestartable(
        "its input holds the rendition profile of the run that started it, and it does not check that the asset is " +
        "still there and Ready. Re-render the asset with POST /api/assets/{id}/rerender instead.")]
    public static async Task<RerenderOutcome> RunAsync(
        [OrchestrationTrigger] TaskOrchestrationContext context, RerenderAssetRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var retry = AssetRetries.For(input.Retry);
        var generation = AssetGenerations.Of(context); // before the first await: this run's start
        IReadOnlyList<Rendition> renditions;
        string? error;
        try
        {
            (renditions, error, _) = await AssetPipelineOrchestrator.RenderAllAsync(context, input.AssetId, input.Chains, generation, retry);
        }
        catch (TaskFailedException ex)
        {
            (renditions, error) = ([], AssetRetries.FailureReason(ex, input.AssetId));
        }

        // On error the asset stays Ready: its original is intact and every rendition blob is a valid image of it.
        await context.CallActivityAsync(
            nameof(ReprocessActivities.RecordRerender), new RecordRerenderRequest(input.AssetId, renditions, error, generation), retry);
        return new RerenderOutcome(input.AssetId, Succeeded: error is null, error);
    }
}
