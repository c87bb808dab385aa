using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Workflows.Assets.Imaging;
using Workflows.Shared;

namespace Workflows.Assets;

/// <summary>
/// The asset pipeline for one upload version: inspect, render every chain of the profile in parallel, mark Ready and
/// announce it. On failure, waits for the other branches, deletes what they wrote, quarantines the original and marks
/// the asset Failed with a reason the uploader can act on.
/// </summary>
public static class AssetPipelineOrchestrator
{
    [Function(nameof(AssetPipelineOrchestrator))]
    public static async Task<AssetOutcome> RunAsync(
        [OrchestrationTrigger] TaskOrchestrationContext context, ProcessAssetRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var logger = context.CreateReplaySafeLogger(nameof(AssetPipelineOrchestrator));
        var retry = AssetRetries.For(input.Retry);
        var compensations = new Compensations(context);
        var assetId = input.AssetId;
        IReadOnlyList<Rendition> renditions;

        try
        {
            // Step 1: copy the upload to originals, inspect it, register the asset. The quarantine is registered
            // before the step, so an upload that fails half-way in is quarantined too.
            compensations.Register(new Compensation(
                nameof(AssetRecordActivities.QuarantineOriginal),
                new QuarantineRequest(assetId, input.UploadContainer, input.UploadBlobName, input.UploadETag),
                retry));
            var inspected = await context.CallActivityAsync<InspectUploadResult>(
                nameof(InspectActivities.InspectUpload),
                new InspectUploadRequest(assetId, input.UploadContainer, input.UploadBlobName, input.UploadETag, input.OriginalName),
                retry);
            if (inspected.Status != AssetStatus.Processing)
            {
                return new AssetOutcome(assetId, inspected.Status, null, []); // this version was already processed
            }

            // Step 2: fan out, one branch per chain. Registered before: a failed branch may have written some sizes.
            compensations.Register(new Compensation(
                nameof(RenditionActivities.DeleteRenditions), new AssetCleanupRequest(assetId), retry));
            renditions = await RenderAllAsync(context, assetId, inspected.Chains, retry);

            // Step 3: fan in.
            await context.CallActivityAsync(nameof(AssetRecordActivities.MarkAssetReady), new MarkAssetReadyRequest(assetId, renditions), retry);
        }
        catch (TaskFailedException ex)
        {
            // Step 4: Task.WhenAll throws only once every branch has settled, so nothing is still writing renditions.
            var reason = AssetRetries.FailureReason(ex, assetId);
            var report = await compensations.CompensateAsync();
            if (!report.AllSucceeded)
            {
                logger.LogError(
                    "Asset {AssetId}: cleanup incomplete, outstanding: {Outstanding}",
                    assetId, string.Join(", ", report.Failed.Select(f => f.ActivityName)));
            }

            await context.CallActivityAsync(
                nameof(AssetRecordActivities.MarkAssetFailed), new MarkAssetFailedRequest(assetId, input.OriginalName, reason), retry);
            if (ex.FailureDetails.IsCausedBy<AssetRejectedException>())
            {
                return new AssetOutcome(assetId, AssetStatus.Failed, reason, []);
            }

            throw; // unexpected: the instance fails too, so operators see it
        }

        // Past the point of no return: the asset is Ready and may already be served. A failed announcement fails the
        // instance (operators see it) but must not compensate, i.e. delete the renditions and quarantine the original.
        await context.CallActivityAsync(nameof(AssetRecordActivities.PublishAssetReady), new PublishAssetReadyRequest(assetId), retry);
        return new AssetOutcome(assetId, AssetStatus.Ready, null, renditions);
    }

    /// <summary>One <see cref="RenditionActivities.RenderChain"/> per chain, in parallel; flattens their renditions.</summary>
    internal static async Task<IReadOnlyList<Rendition>> RenderAllAsync(
        TaskOrchestrationContext context, string assetId, IReadOnlyList<RenditionChain> chains, TaskOptions retry)
    {
        List<Task<IReadOnlyList<Rendition>>> branches = new(chains.Count);
        branches.AddRange(chains.Select(chain => context.CallActivityAsync<IReadOnlyList<Rendition>>(
            nameof(RenditionActivities.RenderChain), new RenderChainRequest(assetId, chain), retry)));
        var rendered = await Task.WhenAll(branches);
        return rendered.SelectMany(r => r).ToList();
    }
}
