using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Workflows.Assets.Storage;

/// <summary>Server-side blob copies and moves, each safe to repeat.</summary>
public static class BlobMoves
{
    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="target"/> inside the storage account (no bytes pass through
    /// the app) and waits for the copy. With <paramref name="ifMatch"/>, only that version of the source is copied; with
    /// <paramref name="targetConditions"/>, only over the target as they describe it (e.g. absent: <c>If-None-Match: *</c>).
    /// Throws unless the copy succeeded, so a caller never deletes a source whose copy failed. With
    /// <paramref name="metadata"/>, the copy carries that metadata instead of the source's.
    /// </summary>
    public static async Task CopyAsync(
        BlobClient source,
        BlobClient target,
        ETag? ifMatch,
        BlobRequestConditions? targetConditions,
        CancellationToken ct,
        IDictionary<string, string>? metadata = null)
    {
        var options = new BlobCopyFromUriOptions
        {
            SourceConditions = ifMatch is { } etag ? new BlobRequestConditions { IfMatch = etag } : null,
            DestinationConditions = targetConditions,
            Metadata = metadata,
        };
        var copy = await target.StartCopyFromUriAsync(source.Uri, options, ct);
        await copy.WaitForCompletionAsync(ct);

        // The SDK's copy operation completes without throwing when the copy fails or is aborted.
        BlobProperties copied = await target.GetPropertiesAsync(cancellationToken: ct);
        if (copied.CopyId == copy.Id && copied.CopyStatus != CopyStatus.Success)
        {
            throw new InvalidOperationException(
                $"Copying {source.Name} to {target.BlobContainerName}/{target.Name} ended {copied.CopyStatus}: {copied.CopyStatusDescription}");
        }
    }

    /// <summary>
    /// Moves <paramref name="source"/> to <paramref name="target"/>: copy, then delete the source if it is still the
    /// copied version. Returns false when there was nothing to move (source gone, or replaced by a newer version).
    /// </summary>
    public static async Task<bool> MoveAsync(BlobClient source, BlobClient target, ETag? ifMatch, CancellationToken ct)
    {
        try
        {
            await CopyAsync(source, target, ifMatch, targetConditions: null, ct);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }

        await DeleteIfVersionAsync(source, ifMatch, ct);
        return true;
    }

    /// <summary>Deletes the blob if it exists and (with <paramref name="ifMatch"/>) is still that version.</summary>
    public static async Task DeleteIfVersionAsync(BlobClient blob, ETag? ifMatch, CancellationToken ct)
    {
        try
        {
            var conditions = ifMatch is { } etag ? new BlobRequestConditions { IfMatch = etag } : null;
            await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, conditions, ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            // A newer upload under the same name: it is a different asset, leave it for its own trigger.
        }
    }
}
