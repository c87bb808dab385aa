using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Workflows.Assets.Storage;

/// <summary>How <see cref="InspectActivities.InspectUpload"/> takes an upload version in as <c>originals/{assetId}</c>.</summary>
internal static class OriginalTakeIn
{
    /// <summary>
    /// Copies the upload to <paramref name="original"/> unless an earlier run put it there; false when there is neither
    /// an original nor that upload version to copy. The copy never goes over an original in place: it is conditional on
    /// the original as found (absent: <c>If-None-Match: *</c>; left by a failed copy: that version). Activities run at
    /// least once, and a duplicate run that found no original would otherwise copy again after the first run's copy
    /// landed: the same bytes under a new ETag, after the first run recorded the old one for the rendering
    /// (<see cref="InspectUploadResult.OriginalETag"/>), whose <c>If-Match</c> would then fail the asset. A copy refused
    /// so, or whose upload the other run has already removed, takes the original that run put in place.
    /// </summary>
    public static async Task<bool> TakeInAsync(BlobClient original, BlobClient upload, ETag uploadVersion, CancellationToken ct)
    {
        var (inPlace, failedCopy) = await FindOriginalAsync(original, ct);
        if (inPlace)
        {
            return true;
        }

        var unchanged = failedCopy is { } version
            ? new BlobRequestConditions { IfMatch = version }
            : new BlobRequestConditions { IfNoneMatch = ETag.All };
        try
        {
            await BlobMoves.CopyAsync(upload, original, uploadVersion, unchanged, ct);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            // 409/412: another run's copy is there now; 404/412: the upload is gone or replaced, maybe by that run.
            if ((await FindOriginalAsync(original, ct)).InPlace)
            {
                return true;
            }

            if (ex.Status == 409)
            {
                throw new InvalidOperationException($"Another run's copy of {original.Name} to originals failed; retrying.", ex);
            }

            return false;
        }
    }

    /// <summary>
    /// Whether an earlier run already put the original in place, else the version a failed copy left there (null: no
    /// blob). A copy that run left pending is waited for (by a retry), one that failed is redone: the upload is deleted
    /// only once its copy is complete.
    /// </summary>
    private static async Task<(bool InPlace, ETag? FailedCopy)> FindOriginalAsync(BlobClient original, CancellationToken ct)
    {
        BlobProperties properties;
        try
        {
            properties = await original.GetPropertiesAsync(cancellationToken: ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return (false, null);
        }

        if (string.IsNullOrEmpty(properties.CopyId) || properties.CopyStatus == CopyStatus.Success)
        {
            return (true, null);
        }

        if (properties.CopyStatus == CopyStatus.Pending)
        {
            throw new InvalidOperationException($"The copy of {original.Name} to originals is still pending; retrying.");
        }

        return (false, properties.ETag); // failed or aborted: copy again, over that version only
    }
}
