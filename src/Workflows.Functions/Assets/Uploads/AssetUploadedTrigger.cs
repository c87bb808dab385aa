using Azure;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Workflows.Shared.Storage;

namespace Workflows.Assets.Uploads;

/// <summary>
/// Starts the asset pipeline when a blob lands in the uploads container. Blob triggers fire at least once; the instance
/// id comes from the blob's name and ETag, so a re-fire for the same version is a no-op and a new version is a new asset.
/// </summary>
public sealed class AssetUploadedTrigger(AssetStarter starter, ILogger<AssetUploadedTrigger> logger)
{
    // Polling (local Azurite, Elastic Premium) in builds; Event Grid, the only source Flex Consumption runs, when
    // published (BlobTriggerSource in the csproj; see README, Deploy).
#if BLOB_TRIGGER_EVENT_GRID
    private const BlobTriggerSource UploadsSource = BlobTriggerSource.EventGrid;
#else
    private const BlobTriggerSource UploadsSource = BlobTriggerSource.LogsAndContainerScan;
#endif

    /// <summary>Reads the blob's current properties (ETag, metadata) and starts the pipeline for that version.</summary>
    [Function(nameof(AssetUploaded))]
    public async Task AssetUploaded(
        [BlobTrigger(AssetOptions.UploadsContainerSetting + "/{name}", Connection = StorageRegistration.ConnectionName, Source = UploadsSource)]
        BlobClient blob,
        string name,
        [DurableClient] DurableTaskClient client,
        CancellationToken ct)
    {
        Azure.Storage.Blobs.Models.BlobProperties properties;
        try
        {
            properties = await blob.GetPropertiesAsync(cancellationToken: ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // The pipeline (started by the sweep, or by an earlier run of this trigger) already moved it to originals.
            logger.LogInformation("Upload {BlobName} is gone; it was already taken into processing", name);
            return;
        }

        var request = starter.RequestFor(blob.BlobContainerName, name, properties.ETag, properties.Metadata);
        var receipt = new UploadReceipt(properties.ContentLength, properties.LastModified, properties.ContentType);
        await starter.StartAsync(client, request, receipt, ct);
    }
}
