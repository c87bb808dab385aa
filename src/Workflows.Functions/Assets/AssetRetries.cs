using Microsoft.DurableTask;

namespace Workflows.Assets;

/// <summary>
/// The pipeline's activity retry policy, built from settings passed in through the orchestration input (short in tests).
/// Rejections (not an image, corrupt, bomb, bad name) are final and never retried.
/// </summary>
public static class AssetRetries
{
    public static TaskOptions For(AssetRetrySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return TaskOptions.FromRetryPolicy(new RetryPolicy(settings.MaxAttempts, settings.FirstRetryInterval, backoffCoefficient: 2)
        {
            HandleFailure = failure => !failure.IsCausedBy<AssetRejectedException>(),
        });
    }

    /// <summary>
    /// The asset's failure reason: a rejection's own message (written for the uploader), otherwise a generic reason
    /// that names the failed step without leaking internals.
    /// </summary>
    public static string FailureReason(TaskFailedException failure, string assetId)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (failure.FailureDetails.IsCausedBy<AssetRejectedException>())
        {
            return failure.FailureDetails.ErrorMessage;
        }

        var errorType = failure.FailureDetails.ErrorType;
        var shortType = errorType[(errorType.LastIndexOf('.') + 1)..];
        return $"Processing failed in step {failure.TaskName} ({shortType}) after retries. The original is kept in " +
            $"quarantine: upload the file again, or report asset id {assetId} if it keeps failing.";
    }
}
