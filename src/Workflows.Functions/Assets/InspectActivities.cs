using System.Globalization;
using Azure.Storage.Blobs.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Workflows.Assets.Imaging;
using Workflows.Assets.Storage;

namespace Workflows.Assets;

/// <summary>Step 1 of the pipeline: take the upload in and find out what it is.</summary>
public sealed class InspectActivities(
    AssetStore store, IAssetImaging imaging, IOptions<AssetOptions> options, ILogger<InspectActivities> logger)
{
    /// <summary>
    /// Copies the upload to <c>originals/{assetId}</c>, removes the upload, checks the name, inspects the content
    /// (format, size, bomb limits, EXIF; a JPEG's header only, a WebP's chunks but its image data) and registers the asset as Processing. An upload that can never
    /// become an asset is answered with <see cref="InspectUploadResult.Rejected"/>, not an exception: a rejection is a
    /// business outcome, not a failed execution. Safe to run again, and twice at once: an original already in place is
    /// reused, never copied over (<see cref="OriginalTakeIn.TakeInAsync"/>). Every starter
    /// registers the asset before it starts the pipeline, so a record there at the start and gone at the end was deleted
    /// meanwhile (a late run, its pipeline long finished): it is not registered again.
    /// </summary>
    [Function(nameof(InspectUpload))]
    public async Task<InspectUploadResult> InspectUpload([ActivityTrigger] InspectUploadRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        await store.EnsureCreatedAsync(ct);
        var registered = await store.FindAsync(request.AssetId, ct);
        if (registered is { StatusValue: AssetStatus.Ready or AssetStatus.Failed } done)
        {
            // A backend that replaces a finished instance on a late re-start must not process the version again.
            return AlreadyFinished(done);
        }

        var original = store.Original(request.AssetId);
        var upload = store.Upload(request.UploadContainer, request.UploadBlobName);
        var uploadVersion = AssetIds.ToETag(request.UploadETag);

        if (!await OriginalTakeIn.TakeInAsync(original, upload, uploadVersion, ct))
        {
            return InspectUploadResult.Rejected(
                "The upload was removed or replaced before processing started; a newer upload is processed on its own.");
        }

        // The original is safe under the asset id; a newer upload under the same name (another ETag) is left alone.
        await BlobMoves.DeleteIfVersionAsync(upload, uploadVersion, ct);

        // The version taken in: every read below is pinned to it, and a rejection names it too (the only one quarantined).
        BlobProperties stored = await original.GetPropertiesAsync(cancellationToken: ct);
        var takenIn = AssetIds.NormalizeETag(stored.ETag.ToString());
        InspectUploadResult Rejected(string reason) => InspectUploadResult.Rejected(reason) with { OriginalETag = takenIn };

        var nameProblem = AssetNames.ValidateUploadBlobName(request.UploadBlobName)
            ?? AssetNames.ValidateOriginalName(request.OriginalName);
        if (nameProblem is not null)
        {
            return Rejected(nameProblem + " Rename the file and upload it again.");
        }

        // Inspection and rendering buffer the original: a blob written straight to the uploads container
        // (bypassing the HTTP 413) must meet the same limit before a byte of it is read.
        var maxBytes = options.Value.MaxUploadBytes;
        if (stored.ContentLength > maxBytes)
        {
            return Rejected(
                $"The file is {stored.ContentLength} bytes; the limit is {maxBytes} bytes ({maxBytes / (1024 * 1024)} MB). Upload a smaller file.");
        }

        // Only the header where the format allows: the rendering reads the whole file (and hashes it).
        ImageInspection inspection;
        await using (var content = await OriginalReads.OpenForInspectionAsync(original, stored.ContentLength, stored.ETag, ct))
        {
            try
            {
                inspection = await imaging.InspectAsync(content, ct);
            }
            catch (ImageRejectedException ex)
            {
                return Rejected(ex.Message);
            }
        }

        var (written, current) = await store.MergeUnlessFinishedAsync(
            Processing(request, stored.ContentLength, inspection), addIfAbsent: registered is null, ct);
        if (!written)
        {
            // A duplicate run of this activity (e.g. after a lost lease) finished the asset while we inspected it, or the
            // asset was deleted meanwhile.
            return current is null
                ? Rejected("The asset was deleted while its upload was being inspected.")
                : AlreadyFinished(current);
        }

        logger.LogInformation(
            "Asset {AssetId}: {ContentType} {Width}x{Height}, {Bytes} bytes",
            request.AssetId, inspection.ContentType, inspection.UprightWidth, inspection.UprightHeight, stored.ContentLength);
        return new InspectUploadResult(
            AssetStatus.Processing,
            inspection.ContentType,
            inspection.UprightWidth,
            inspection.UprightHeight,
            imaging.Profile.Chains,
            OriginalETag: takenIn);
    }

    private InspectUploadResult AlreadyFinished(AssetEntity done)
    {
        logger.LogWarning("Asset {AssetId} is already {Status}; not processing it again", done.Id, done.Status);
        return new InspectUploadResult(done.StatusValue, done.ContentType ?? string.Empty, done.Width ?? 0, done.Height ?? 0, []);
    }

    private static AssetEntity Processing(InspectUploadRequest request, long bytes, ImageInspection inspection)
    {
        var entity = AssetEntity.ForUpload(request.AssetId, request.OriginalName, request.UploadContainer, request.UploadBlobName);
        entity.Status = nameof(AssetStatus.Processing);
        entity.ContentType = inspection.ContentType;
        entity.SizeBytes = bytes; // the SHA-256 comes with Ready: the rendering is what reads every byte
        entity.Width = inspection.UprightWidth;
        entity.Height = inspection.UprightHeight;
        entity.Orientation = inspection.Orientation;
        entity.CameraMake = inspection.Metadata.CameraMake;
        entity.CameraModel = inspection.Metadata.CameraModel;
        entity.TakenAt = inspection.Metadata.TakenAt?.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        entity.GpsLatitude = inspection.Metadata.Latitude;
        entity.GpsLongitude = inspection.Metadata.Longitude;
        entity.ProcessingStartedAt = DateTimeOffset.UtcNow;
        entity.Generation = request.Generation > 0 ? request.Generation : null; // null: not merged (an older history)
        return entity;
    }
}
