using System.Runtime.Serialization;
using Azure;
using Azure.Data.Tables;

namespace Workflows.Assets.Storage;

/// <summary>
/// One row per asset in the assets table. The partition key is the asset id, so point reads are cheap and the bulk
/// reprocess scan spreads over partitions. Renditions are stored as a JSON column (a handful of small entries).
/// </summary>
public sealed class AssetEntity : ITableEntity
{
    public const string AssetRowKey = "asset";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = AssetRowKey;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Status { get; set; } = nameof(AssetStatus.Processing);

    public string? FailureReason { get; set; }

    public string? OriginalName { get; set; }

    public string? ContentType { get; set; }

    public long? SizeBytes { get; set; }

    public string? Sha256 { get; set; }

    public int? Width { get; set; }

    public int? Height { get; set; }

    public string? CameraMake { get; set; }

    public string? CameraModel { get; set; }

    /// <summary>EXIF DateTimeOriginal as recorded (camera-local time, ISO 8601 without a zone).</summary>
    public string? TakenAt { get; set; }

    public double? GpsLatitude { get; set; }

    public double? GpsLongitude { get; set; }

    public int? Orientation { get; set; }

    public string? RenditionsJson { get; set; }

    /// <summary>
    /// Why the quarantine left the original where it was (written over since it was inspected, or the quarantine held
    /// another blob), set by the quarantine step; <c>MarkAssetFailed</c> adds it to the failure reason. Null otherwise.
    /// </summary>
    public string? QuarantineNote { get; set; }

    /// <summary>
    /// Set (never cleared) before the asset's renditions are swept for good: by the pipeline's cleanup, the stuck-asset
    /// sweep or a delete. A render that finds it set after writing removes what it wrote (see
    /// <see cref="AssetStore.TakesRenditionsAsync"/>). Null on records written before it existed: open.
    /// </summary>
    public bool? RenditionsClosed { get; set; }

    /// <summary>
    /// The run (pipeline or re-render) the asset's renditions belong to: its orchestration's start time in ticks
    /// (<see cref="AssetGenerations"/>), stamped when the run takes the record. Writes of an older run are refused.
    /// Null on records written before it existed: generation 0, which every run outranks.
    /// </summary>
    public long? Generation { get; set; }

    public string? UploadContainer { get; set; }

    public string? UploadBlobName { get; set; }

    public DateTimeOffset? UploadedAt { get; set; }

    public DateTimeOffset? ProcessingStartedAt { get; set; }

    public DateTimeOffset? ProcessingCompletedAt { get; set; }

    public DateTimeOffset? ReprocessedAt { get; set; }

    public string? ReprocessError { get; set; }

    [IgnoreDataMember]
    public string Id => PartitionKey;

    [IgnoreDataMember]
    public AssetStatus StatusValue => Enum.Parse<AssetStatus>(Status);

    public static AssetEntity For(string assetId) => new() { PartitionKey = assetId, RowKey = AssetRowKey };

    /// <summary>A row for <paramref name="assetId"/> that names the upload it came from.</summary>
    public static AssetEntity ForUpload(string assetId, string originalName, string uploadContainer, string uploadBlobName)
    {
        var entity = For(assetId);
        (entity.OriginalName, entity.UploadContainer, entity.UploadBlobName) = (originalName, uploadContainer, uploadBlobName);
        return entity;
    }
}
