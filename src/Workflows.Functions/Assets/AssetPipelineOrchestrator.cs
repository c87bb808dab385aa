using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Workflows.Assets.Imaging;
using Workflows.Shared;

namespace Workflows.Assets;

/// <summary>
/// The asset pipeline for one upload version: inspect, render every rendition of the profile (one activity, one
/// decode), mark Ready and announce it. A rejected upload (not an image, corrupt, too large, bad name) and an
/// unexpected failure both end the same way: what was written is deleted, the original is quarantined and the asset is
/// marked Failed with a reason the uploader can act on. Only the unexpected failure fails the instance too.
/// </summary>
public static class AssetPipelineOrchestrator
{
    [Function(nameof(AssetPipelineOrchestrator))]
    public static async Task<AssetOutcome> RunAsync(
        [OrchestrationTrigger] TaskOrchestrationContext context, ProcessAssetRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var retry = AssetRetries.For(input.Retry);
        var compensations = new Compensations(context);
        var assetId = input.AssetId;
        var generation = AssetGenerations.Of(context); // before the first await: this run's start
        string? rejection;
        IReadOnlyList<Rendition> renditions = [];
        string? sha256 = null;

        try
        {
            // Step 1: copy the upload to originals, inspect it, register the asset. The quarantine is registered
            // before the step, so an upload that fails half-way in is quarantined too.
            var quarantine = new QuarantineRequest(assetId, input.UploadContainer, input.UploadBlobName, input.UploadETag);
            var quarantineStep = new Compensation(nameof(AssetRecordActivities.QuarantineOriginal), quarantine, retry);
            compensations.Register(quarantineStep);
            var inspected = await context.CallActivityAsync<InspectUploadResult>(
                nameof(InspectActivities.InspectUpload),
                new InspectUploadRequest(assetId, input.UploadContainer, input.UploadBlobName, input.UploadETag, input.OriginalName, generation),
                retry);
            if (inspected.OriginalETag is { } takenIn)
            {
                // From here on only the version inspection took in is quarantined: a blob written over it is not this upload.
                compensations.Replace(quarantineStep, quarantineStep with { Input = quarantine with { OriginalETag = takenIn } });
            }
            if (inspected.Rejection is null && inspected.Status != AssetStatus.Processing)
            {
                return new AssetOutcome(assetId, inspected.Status, null, []); // this version was already processed
            }

            // Step 2: every rendition from one decode. Registered before: a failed attempt may have written some.
            rejection = inspected.Rejection;
            if (rejection is null)
            {
                compensations.Register(new Compensation(
                    nameof(RenditionActivities.DeleteRenditions), new AssetCleanupRequest(assetId), retry));
                (renditions, rejection, sha256) = await RenderAllAsync(
                    context, assetId, inspected.Chains, generation, retry, inspected.OriginalETag);
            }

            // Step 3: the asset is Ready, with the SHA-256 of the original the rendering read (the version inspected).
            if (rejection is null)
            {
                await context.CallActivityAsync(
                    nameof(AssetRecordActivities.MarkAssetReady), new MarkAssetReadyRequest(assetId, renditions, sha256, generation), retry);
            }
        }
        catch (TaskFailedException ex)
        {
            await FailAsync(context, input, compensations, AssetRetries.FailureReason(ex, assetId), retry);
            throw; // unexpected: the instance fails too, so operators see it
        }

        if (rejection is not null)
        {
            // A rejected upload is a business outcome: cleaned up and recorded the same way, and the instance completes.
            return await FailAsync(context, input, compensations, rejection, retry);
        }

        // Past the point of no return: the asset is Ready and may already be served. A failed announcement fails the
        // instance (operators see it) but must not compensate, i.e. delete the renditions and quarantine the original.
        await context.CallActivityAsync(nameof(AssetRecordActivities.PublishAssetReady), new PublishAssetReadyRequest(assetId), retry);
        return new AssetOutcome(assetId, AssetStatus.Ready, null, renditions);
    }

    /// <summary>
    /// One <see cref="RenditionActivities.RenderRenditions"/> for every chain: a single decode of the original feeds
    /// them all (decoding is the largest shared cost, and the CPU is the bound under load, not latency). With
    /// <paramref name="originalETag"/>, only that version of the original is rendered (the one inspection read).
    /// </summary>
    internal static async Task<(IReadOnlyList<Rendition> Renditions, string? Rejection, string? Sha256)> RenderAllAsync(
        TaskOrchestrationContext context,
        string assetId,
        IReadOnlyList<RenditionChain> chains,
        long generation,
        TaskOptions retry,
        string? originalETag = null)
    {
        var rendered = await context.CallActivityAsync<RenderRenditionsResult>(
            nameof(RenditionActivities.RenderRenditions), new RenderRenditionsRequest(assetId, chains, generation, originalETag), retry);
        return (rendered.Rejection is null ? rendered.Renditions : [], rendered.Rejection, rendered.Sha256);
    }

    /// <summary>
    /// Step 4: the rendering activity has settled (succeeded, rejected or failed its last attempt), so nothing is still
    /// writing renditions when the registered cleanup runs; then the asset is marked Failed with <paramref name="reason"/>.
    /// </summary>
    private static async Task<AssetOutcome> FailAsync(
        TaskOrchestrationContext context, ProcessAssetRequest input, Compensations compensations, string reason, TaskOptions retry)
    {
        var report = await compensations.CompensateAsync();
        if (!report.AllSucceeded)
        {
            context.CreateReplaySafeLogger(nameof(AssetPipelineOrchestrator)).LogError(
                "Asset {AssetId}: cleanup incomplete, outstanding: {Outstanding}",
                input.AssetId, string.Join(", ", report.Failed.Select(f => f.ActivityName)));
        }

        await context.CallActivityAsync(
            nameof(AssetRecordActivities.MarkAssetFailed), new MarkAssetFailedRequest(input.AssetId, input.OriginalName, reason), retry);
        return new AssetOutcome(input.AssetId, AssetStatus.Failed, reason, []);
    }
}
