using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Workflows.Assets.Storage;

/// <summary>What moving an original to quarantine did.</summary>
public enum QuarantineResult
{
    /// <summary>This run copied the original to quarantine (and deleted it, unless written over after the copy).</summary>
    Moved,

    /// <summary>An earlier run had copied that version already; this one only made sure the original is gone.</summary>
    AlreadyMoved,

    /// <summary>There is no original (and no upload version) to move.</summary>
    NothingToMove,

    /// <summary>The original is no longer the version to move (written over since): left in place, untouched.</summary>
    OriginalWrittenOver,

    /// <summary>The quarantine already holds another blob under the asset id: kept, and the original left in place.</summary>
    QuarantineTaken,
}

/// <summary>
/// Moves one version of an original to quarantine: copies exactly that version (<c>If-Match</c> on the copy source),
/// never over a blob already in quarantine (<c>If-None-Match: *</c>), and deletes the original only while it is still
/// that version (<c>If-Match</c>). The copy is labelled with the version it holds, so a repeat (a retry, a redelivery)
/// recognises its own earlier copy and only finishes the delete. A blob written to <c>originals/{assetId}</c> after the
/// version was read is never deleted, and nothing in quarantine is ever written over.
/// </summary>
public static class OriginalQuarantine
{
    /// <summary>Blob metadata on a quarantined copy: the ETag (bare) of the original version it was copied from.</summary>
    public const string VersionMetadataKey = "quarantinedversion";

    /// <summary>
    /// Moves <paramref name="version"/> of <paramref name="original"/> to <paramref name="target"/>; without a version,
    /// the one there now (read first). <see cref="QuarantineResult.NothingToMove"/> when the original is gone.
    /// </summary>
    public static async Task<QuarantineResult> MoveAsync(BlobClient original, BlobClient target, ETag? version, CancellationToken ct)
    {
        if (version is not { } moving)
        {
            try
            {
                moving = (await original.GetPropertiesAsync(cancellationToken: ct)).Value.ETag;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return QuarantineResult.NothingToMove;
            }
        }

        var label = AssetIds.NormalizeETag(moving.ToString());
        var result = await CopyAsync(original, target, moving, label, ct);
        if (result is QuarantineResult.Moved or QuarantineResult.AlreadyMoved)
        {
            // Only the version copied: a 412 is a blob written over it since the copy, which stays where it is.
            await BlobMoves.DeleteIfVersionAsync(original, moving, ct);
        }

        return result;
    }

    /// <summary>
    /// Why <paramref name="result"/> left the original where it was, for the asset's failure reason; null when it did
    /// not (moved, or nothing to move).
    /// </summary>
    public static string? LeftInPlace(QuarantineResult result, string assetId) => result switch
    {
        QuarantineResult.OriginalWrittenOver => $"The original was not quarantined after all: originals/{assetId} " +
            "had been written over since it was inspected, so the blob there now, which this upload did not produce, is left in place.",
        QuarantineResult.QuarantineTaken => $"The original was not quarantined after all: quarantine/{assetId} " +
            $"already holds another blob, which is kept; the original is left in originals/{assetId}.",
        _ => null,
    };

    private static async Task<QuarantineResult> CopyAsync(
        BlobClient original, BlobClient target, ETag version, string label, CancellationToken ct)
    {
        var held = await HeldAsync(target, label, ct);
        for (var attempt = 1; held.Result is null; attempt++)
        {
            try
            {
                // Metadata given to a copy replaces the source's: keep the original's (the client's file name) beside the label.
                BlobProperties source = await original.GetPropertiesAsync(new BlobRequestConditions { IfMatch = version }, ct);
                var metadata = new Dictionary<string, string>(source.Metadata) { [VersionMetadataKey] = label };
                await BlobMoves.CopyAsync(original, target, version, held.Conditions, ct, metadata);
                return QuarantineResult.Moved;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return QuarantineResult.NothingToMove; // the original is gone (moved by an earlier run, or deleted)
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 3)
            {
                // Refused: by the quarantine (another run's copy landed meanwhile), or, when the quarantine is as it was,
                // by the original, which is not that version any more. The error codes differ between services.
                var now = await HeldAsync(target, label, ct);
                if (now.Result is null && now.Conditions?.IfMatch == held.Conditions?.IfMatch)
                {
                    return QuarantineResult.OriginalWrittenOver;
                }

                held = now;
            }
        }

        return held.Result.Value;
    }

    /// <summary>
    /// What the quarantine holds: <see cref="QuarantineResult.AlreadyMoved"/> (that version, copied whole),
    /// <see cref="QuarantineResult.QuarantineTaken"/> (another blob), else the conditions to copy under: absent
    /// (<c>If-None-Match: *</c>), or over this version's own failed copy (<c>If-Match</c> it). A copy of it still
    /// pending throws, so the step is retried once it has settled.
    /// </summary>
    private static async Task<Held> HeldAsync(BlobClient target, string label, CancellationToken ct)
    {
        BlobProperties held;
        try
        {
            held = await target.GetPropertiesAsync(cancellationToken: ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return new Held(null, new BlobRequestConditions { IfNoneMatch = ETag.All });
        }

        if (!held.Metadata.TryGetValue(VersionMetadataKey, out var version) || version != label)
        {
            return new Held(QuarantineResult.QuarantineTaken, null);
        }

        return held.CopyStatus switch
        {
            CopyStatus.Pending when !string.IsNullOrEmpty(held.CopyId) =>
                throw new InvalidOperationException($"The copy of {target.Name} to quarantine is still pending; retrying."),
            CopyStatus.Failed or CopyStatus.Aborted when !string.IsNullOrEmpty(held.CopyId) =>
                new Held(null, new BlobRequestConditions { IfMatch = held.ETag }),
            _ => new Held(QuarantineResult.AlreadyMoved, null),
        };
    }

    /// <summary>What the quarantine holds (a settled result), or the conditions to copy to it under.</summary>
    private sealed record Held(QuarantineResult? Result, BlobRequestConditions? Conditions);
}
