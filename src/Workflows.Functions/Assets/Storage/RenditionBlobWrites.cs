using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Workflows.Assets.Storage;

/// <summary>
/// Rendition blob writes ordered by generation (<see cref="AssetGenerations"/>): each blob carries its writer's
/// generation and is written only over an absent blob or an older run's version, so an older run never overwrites a
/// newer run's rendition.
/// </summary>
internal static class RenditionBlobWrites
{
    /// <summary>Blob metadata: the generation of the run that wrote a rendition blob (absent: 0).</summary>
    private const string GenerationMetadataKey = "generation";

    /// <summary>
    /// Writes <paramref name="content"/> as <paramref name="blob"/> for the run of <paramref name="generation"/>, only
    /// over an absent blob or the version read when that was written by this run or an older one. When
    /// <paramref name="blind"/>, the first write is blind, if the blob is absent (<c>If-None-Match: *</c>): a fresh asset's
    /// rendition costs no read; else the blob is read first. A blob found there (409/412: a re-render, a duplicate
    /// execution of this same run, this very upload retried by the storage client after a lost response) is read and the
    /// write repeated over the version read, unless a newer run wrote it: then no <c>Stored</c>. <c>Found</c>: a blob was
    /// there (the caller's next renditions are likely there too: read them first rather than send a body to be refused).
    /// </summary>
    public static async Task<(BlobContentInfo? Stored, bool Found)> UploadOverOlderAsync(
        BlobClient blob, Stream content, string contentType, long generation, bool blind, CancellationToken ct)
    {
        var start = content.CanSeek ? content.Position : 0;
        var found = false;
        var conditions = blind && content.CanSeek
            ? new BlobRequestConditions { IfNoneMatch = ETag.All }
            : await WriteConditionsAsync(blob, generation, ct);
        for (var attempt = 1; conditions is not null; attempt++)
        {
            try
            {
                var stored = await blob.UploadAsync(
                    content,
                    new BlobUploadOptions
                    {
                        HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                        Metadata = new Dictionary<string, string>
                        {
                            [GenerationMetadataKey] = generation.ToString(CultureInfo.InvariantCulture),
                        },
                        Conditions = conditions,
                    },
                    ct);
                return (stored.Value, found || conditions.IfMatch is not null);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 4 && content.CanSeek)
            {
                content.Position = start; // there already, or written in between: read it
                found = true;
            }

            conditions = await WriteConditionsAsync(blob, generation, ct);
        }

        return (null, true);
    }

    /// <summary>
    /// Conditions for writing <paramref name="blob"/> in the run of <paramref name="generation"/>: only if it is still
    /// absent, or still the version read when that was written by this run or an older one; null when a newer run
    /// wrote it.
    /// </summary>
    private static async Task<BlobRequestConditions?> WriteConditionsAsync(BlobClient blob, long generation, CancellationToken ct)
    {
        BlobProperties current;
        try
        {
            current = await blob.GetPropertiesAsync(cancellationToken: ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return new BlobRequestConditions { IfNoneMatch = ETag.All };
        }

        var writer = current.Metadata.TryGetValue(GenerationMetadataKey, out var value)
            && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        return writer > generation ? null : new BlobRequestConditions { IfMatch = current.ETag };
    }
}
