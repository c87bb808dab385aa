using Microsoft.DurableTask;
using Workflows.Shared;

namespace Workflows.Assets;

/// <summary>
/// The pipeline's activity retry policy, built from settings passed in through the orchestration input (short in tests).
/// Rejections (not an image, corrupt, bomb, bad name) are results, not failures, so everything that fails is retried.
/// </summary>
public static class AssetRetries
{
    public static TaskOptions For(AssetRetrySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return RetryPolicies.Retry(new RetrySettings(settings.MaxAttempts, settings.FirstRetryInterval));
    }

    /// <summary>
    /// The asset's failure reason after an unexpected failure: names the failed step without leaking internals.
    /// </summary>
    public static string FailureReason(TaskFailedException failure, string assetId)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var errorType = failure.FailureDetails.ErrorType;
        var shortType = errorType[(errorType.LastIndexOf('.') + 1)..];
        return $"Processing failed in step {failure.TaskName} ({shortType}) after retries. The original is kept in " +
            $"quarantine: upload the file again, or report asset id {assetId} if it keeps failing.";
    }
}
