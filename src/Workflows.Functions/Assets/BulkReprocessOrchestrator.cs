using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Workflows.Shared;

namespace Workflows.Assets;

/// <summary>
/// Re-renders every Ready asset, one page at a time: each page's assets run as sub-orchestrations in parallel (so the
/// page size bounds the parallelism), then the orchestration continues as new with the next page's token. Each
/// execution's history is one page (about 2 events per asset plus a handful), however many assets there are.
/// Progress is the custom status; per-asset results are on the asset records.
/// </summary>
public static class BulkReprocessOrchestrator
{
    [Function(nameof(BulkReprocessOrchestrator))]
    [NotRestartable(
        "after continuing as new its input is only the last page, and a copy under a new id would run beside the " +
        "one-at-a-time sweep. Start a new sweep with POST /api/assets/reprocess instead.")]
    public static async Task<BulkReprocessProgress> RunAsync(
        [OrchestrationTrigger] TaskOrchestrationContext context, BulkReprocessRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var retry = AssetRetries.For(input.Retry);

        var page = await context.CallActivityAsync<AssetPage>(
            nameof(ReprocessActivities.ListAssetPage), new ListAssetPageRequest(input.ContinuationToken, input.PageSize), retry);

        List<Task<RerenderOutcome>> batch = new(page.AssetIds.Count);
        batch.AddRange(page.AssetIds.Select(assetId => RerenderAsync(context, input.RunId, assetId, page, input.Retry)));
        var outcomes = await Task.WhenAll(batch);

        var succeeded = outcomes.Count(o => o.Succeeded);
        var progress = input.Progress with
        {
            Pages = input.Progress.Pages + 1,
            Processed = input.Progress.Processed + outcomes.Length,
            Succeeded = input.Progress.Succeeded + succeeded,
            Failed = input.Progress.Failed + outcomes.Length - succeeded,
            LargestBatch = Math.Max(input.Progress.LargestBatch, outcomes.Length),
        };
        context.SetCustomStatus(progress);

        if (page.ContinuationToken is null)
        {
            return progress;
        }

        // A fresh history for the next page.
        context.ContinueAsNew(input with { ContinuationToken = page.ContinuationToken, Progress = progress });
        return progress;
    }

    /// <summary>
    /// One asset's sub-orchestration, named for this run and asset; a failure of the sub-orchestration itself counts as
    /// that asset failing.
    /// </summary>
    private static async Task<RerenderOutcome> RerenderAsync(
        TaskOrchestrationContext context, string runId, string assetId, AssetPage page, AssetRetrySettings retry)
    {
        try
        {
            return await context.CallSubOrchestratorAsync<RerenderOutcome>(
                nameof(AssetRerenderOrchestrator),
                new RerenderAssetRequest(assetId, page.Chains, retry),
                new SubOrchestrationOptions { InstanceId = InstanceStarts.ChildId(context.InstanceId, $"{runId}-{assetId}") });
        }
        catch (TaskFailedException ex)
        {
            return new RerenderOutcome(assetId, Succeeded: false, ex.FailureDetails.ErrorMessage);
        }
    }
}
