using Azure;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Workflows.Assets.Storage;
using Workflows.Observability;
using Workflows.Shared;

namespace Workflows.Assets.Uploads;

/// <summary>Whether a starter started the pipeline or found the same blob version already handled.</summary>
public sealed record AssetStart(string AssetId, string InstanceId, bool Started);

/// <summary>What storage says about an upload blob version: its size, when it was written and its declared type.</summary>
public sealed record UploadReceipt(long SizeBytes, DateTimeOffset UploadedAt, string? ContentType);

/// <summary>
/// Starts the asset pipeline for one upload blob version under its deterministic instance id. Shared by the blob trigger,
/// the HTTP upload and the reconciliation sweep, so whichever comes first wins and the others find it done.
/// </summary>
public sealed class AssetStarter(AssetStore store, IOptions<AssetOptions> options, ILogger<AssetStarter> logger)
{
    /// <summary>Blob metadata key carrying the client's file name (URL-encoded: metadata values are ASCII).</summary>
    public const string OriginalNameMetadataKey = "originalname";

    public AssetRetrySettings Retry =>
        new(options.Value.ActivityMaxAttempts, options.Value.ActivityFirstRetryInterval);

    /// <summary>The pipeline input for one version (ETag) of an upload blob.</summary>
    public ProcessAssetRequest RequestFor(string container, string blobName, ETag etag, IDictionary<string, string>? metadata)
    {
        var originalName = metadata is not null && metadata.TryGetValue(OriginalNameMetadataKey, out var encoded)
            ? Uri.UnescapeDataString(encoded)
            : AssetNames.FromUploadBlobName(blobName);
        return new ProcessAssetRequest(
            AssetIds.FromUpload(container, blobName, etag),
            container,
            blobName,
            AssetIds.NormalizeETag(etag.ToString()),
            originalName,
            Retry);
    }

    /// <summary>
    /// Registers the upload (name, size, upload time) and starts the pipeline, unless this blob version was already
    /// handled: an instance with its id exists, or its asset record is already final (history can be purged, the
    /// record stays). The record comes first: the status URL answers at once, a rejection keeps the upload's size and
    /// time, and if the start is lost the sweep finds an upload whose record is not final and starts it.
    /// </summary>
    public async Task<AssetStart> StartAsync(
        DurableTaskClient client, ProcessAssetRequest request, UploadReceipt receipt, CancellationToken ct)
    {
        using var span = WorkflowTelemetry.StartSpan("start asset pipeline", WorkflowTelemetry.AssetIdAttribute, request.AssetId);
        var instanceId = AssetIds.InstanceId(request.AssetId);
        if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, ct) is not null)
        {
            return new AssetStart(request.AssetId, instanceId, Started: false);
        }

        await store.EnsureCreatedAsync(ct);
        switch (await store.FindAsync(request.AssetId, ct))
        {
            case { StatusValue: AssetStatus.Ready or AssetStatus.Failed }:
                return new AssetStart(request.AssetId, instanceId, Started: false);
            case null:
                await store.AddIfAbsentAsync(Received(request, receipt), ct);
                break;
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(AssetPipelineOrchestrator),
                request,
                new StartOrchestrationOptions(instanceId).WithDedupeStatuses(InstanceStarts.DedupeStatuses),
                ct);
        }
        catch (Exception ex) when (InstanceStarts.IsAlreadyExists(ex))
        {
            // Another starter won the race for the same blob version.
            logger.LogInformation("Asset {AssetId} was started concurrently by another trigger", request.AssetId);
            return new AssetStart(request.AssetId, instanceId, Started: false);
        }

        logger.LogInformation("Started {InstanceId} for upload {Container}/{BlobName}", instanceId, request.UploadContainer, request.UploadBlobName);
        return new AssetStart(request.AssetId, instanceId, Started: true);
    }

    private static AssetEntity Received(ProcessAssetRequest request, UploadReceipt receipt)
    {
        var record = AssetEntity.ForUpload(request.AssetId, request.OriginalName, request.UploadContainer, request.UploadBlobName);
        record.ContentType = receipt.ContentType;
        record.SizeBytes = receipt.SizeBytes;
        record.UploadedAt = receipt.UploadedAt;
        return record;
    }
}
