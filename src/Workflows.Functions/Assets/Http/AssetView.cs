using Workflows.Assets.Storage;
namespace Workflows.Assets.Http;

/// <summary>The asset as <c>GET /api/assets/{id}</c> returns it; <c>ThumbnailUrl</c> is its smallest rendition once Ready.</summary>
public sealed record AssetView(
    string Id,
    string Status,
    string? FailureReason,
    string? OriginalName,
    string? ContentType,
    long? SizeBytes,
    string? Sha256,
    int? Width,
    int? Height,
    AssetMetadataView Metadata,
    IReadOnlyList<RenditionView> Renditions,
    DateTimeOffset? UploadedAt,
    DateTimeOffset? ProcessingStartedAt,
    DateTimeOffset? ProcessingCompletedAt,
    DateTimeOffset? ReprocessedAt,
    string? ReprocessError,
    string? ThumbnailUrl)
{
    /// <summary>Maps a record; rendition URLs are built under <paramref name="assetUri"/> (the asset's own URL).</summary>
    public static AssetView From(AssetEntity e, string assetUri)
    {
        ArgumentNullException.ThrowIfNull(e);
        var renditions = AssetStore.DeserializeRenditions(e.RenditionsJson)
            .Select(r => new RenditionView(r.Name, r.Width, r.Height, r.Bytes, r.ContentType, $"{assetUri}/renditions/{r.Name}"))
            .ToList();
        return new AssetView(
            e.Id, e.Status, e.FailureReason, e.OriginalName, e.ContentType, e.SizeBytes, e.Sha256, e.Width, e.Height,
            new AssetMetadataView(e.CameraMake, e.CameraModel, e.TakenAt, e.GpsLatitude, e.GpsLongitude, e.Orientation),
            renditions, e.UploadedAt, e.ProcessingStartedAt, e.ProcessingCompletedAt, e.ReprocessedAt, e.ReprocessError,
            ThumbnailOf(renditions)?.Url);
    }

    /// <summary>The smallest rendition (WebP when sizes tie), for thumbnails.</summary>
    public static RenditionView? ThumbnailOf(IEnumerable<RenditionView> renditions) =>
        renditions.OrderBy(r => r.Width).ThenBy(r => r.ContentType == "image/webp" ? 0 : 1).FirstOrDefault();
}

/// <summary>Camera metadata of the original. GPS stays here, in the record; renditions never carry it.</summary>
public sealed record AssetMetadataView(
    string? CameraMake,
    string? CameraModel,
    string? TakenAt,
    double? Latitude,
    double? Longitude,
    int? Orientation);

public sealed record RenditionView(string Name, int Width, int Height, long Bytes, string ContentType, string Url);
