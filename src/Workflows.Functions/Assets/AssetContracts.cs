using Workflows.Assets.Imaging;

namespace Workflows.Assets;

public enum AssetStatus
{
    Processing,
    Ready,
    Failed,
}

/// <summary>Activity retry settings, passed in through inputs because orchestrators cannot read options.</summary>
public sealed record AssetRetrySettings(int MaxAttempts, TimeSpan FirstRetryInterval);

/// <summary>One version of one upload blob: what a pipeline instance processes.</summary>
public sealed record ProcessAssetRequest(
    string AssetId,
    string UploadContainer,
    string UploadBlobName,
    string UploadETag,
    string OriginalName,
    AssetRetrySettings Retry);

public sealed record InspectUploadRequest(
    string AssetId,
    string UploadContainer,
    string UploadBlobName,
    string UploadETag,
    string OriginalName,
    long Generation = 0);

/// <summary>
/// What the inspection found, and the rendition chains to produce: read from the profile by the activity and then
/// fixed in history, so every retry of this instance renders the same profile. <see cref="Status"/> is
/// Processing, or the final status when this blob version was already processed (nothing left to do). A
/// <see cref="Rejection"/> says why the upload can never become an asset as it is (not an image, corrupt, too large,
/// bad name, gone), written for the uploader; it is final and never retried. <see cref="OriginalETag"/>: the version of
/// <c>originals/{assetId}</c> inspection took in and read (every read pinned to it), which the rendering reads too and
/// the quarantine alone moves; also on a rejection once the original was taken in (null when nothing was).
/// </summary>
public sealed record InspectUploadResult(
    AssetStatus Status,
    string ContentType,
    int Width,
    int Height,
    IReadOnlyList<RenditionChain> Chains,
    string? Rejection = null,
    string? OriginalETag = null)
{
    public static InspectUploadResult Rejected(string reason) => new(AssetStatus.Failed, string.Empty, 0, 0, [], reason);
}

/// <summary>
/// <see cref="Generation"/>: the run's (<see cref="AssetGenerations"/>); 0 in histories written before it existed.
/// <see cref="OriginalETag"/>: the version of the original inspection read; the rendering reads that version only (null:
/// whatever is there, as a re-render, which inspects nothing, and histories written before it existed).
/// </summary>
public sealed record RenderRenditionsRequest(
    string AssetId, IReadOnlyList<RenditionChain> Chains, long Generation = 0, string? OriginalETag = null);

/// <summary>
/// The renditions written and the lowercase hex SHA-256 of the original they were rendered from (null in histories
/// written before the rendering hashed it), or why the decoder rejected the original (then none are listed).
/// </summary>
public sealed record RenderRenditionsResult(IReadOnlyList<Rendition> Renditions, string? Rejection = null, string? Sha256 = null);

/// <summary>A rendition written to the renditions container as <see cref="BlobName"/>.</summary>
public sealed record Rendition(string Name, int Width, int Height, long Bytes, string ContentType, string BlobName);

/// <summary>The asset's renditions and its original's SHA-256 (null: keep the one on record, as older versions wrote it at inspection).</summary>
public sealed record MarkAssetReadyRequest(string AssetId, IReadOnlyList<Rendition> Renditions, string? Sha256 = null, long Generation = 0);

public sealed record MarkAssetFailedRequest(string AssetId, string OriginalName, string Reason);

/// <summary>Input of the rendition cleanup (compensation of the rendering step).</summary>
public sealed record AssetCleanupRequest(string AssetId);

/// <summary>
/// Input of the quarantine step (compensation of the inspection): moves the original, or the upload itself when it
/// never reached the originals container, to the quarantine container under the asset id. <see cref="OriginalETag"/>:
/// the version of the original inspection took in, the only one moved (null: registered before inspection, or a
/// history written before it existed; then the version found there).
/// </summary>
public sealed record QuarantineRequest(
    string AssetId, string UploadContainer, string UploadBlobName, string UploadETag, string? OriginalETag = null);

public sealed record AssetOutcome(
    string AssetId,
    AssetStatus Status,
    string? FailureReason,
    IReadOnlyList<Rendition> Renditions);

/// <summary>The message published to the ready queue; consumers dedupe by <see cref="AssetId"/> (at-least-once).</summary>
public sealed record AssetReadyEvent(
    string AssetId,
    string OriginalName,
    string ContentType,
    int Width,
    int Height,
    IReadOnlyList<Rendition> Renditions,
    DateTimeOffset ReadyAt);

public sealed record PublishAssetReadyRequest(string AssetId);

/// <summary>
/// Input of each bulk-reprocess execution: the page to read next and the totals so far. <see cref="RunId"/> names the
/// run's sub-orchestrations (the bulk reprocess itself has one fixed instance id).
/// </summary>
public sealed record BulkReprocessRequest(
    string RunId,
    int PageSize,
    AssetRetrySettings Retry,
    string? ContinuationToken,
    BulkReprocessProgress Progress);

public sealed record BulkReprocessProgress(int Pages, int Processed, int Succeeded, int Failed, int LargestBatch)
{
    public static BulkReprocessProgress None { get; } = new(0, 0, 0, 0, 0);
}

public sealed record ListAssetPageRequest(string? ContinuationToken, int PageSize);

public sealed record AssetPage(IReadOnlyList<string> AssetIds, string? ContinuationToken, IReadOnlyList<RenditionChain> Chains);

public sealed record RerenderAssetRequest(string AssetId, IReadOnlyList<RenditionChain> Chains, AssetRetrySettings Retry);

public sealed record RerenderOutcome(string AssetId, bool Succeeded, string? Error);

public sealed record RecordRerenderRequest(string AssetId, IReadOnlyList<Rendition> Renditions, string? Error, long Generation = 0);
