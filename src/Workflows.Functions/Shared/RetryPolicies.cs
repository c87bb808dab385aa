using Microsoft.DurableTask;

namespace Workflows.Shared;

/// <summary>A retry policy carried in orchestration input (orchestrators must not read options themselves).</summary>
public sealed record RetrySettings(int MaxAttempts, TimeSpan FirstInterval, double BackoffCoefficient = 2.0);

/// <summary>Builds <see cref="TaskOptions"/> for activity calls from <see cref="RetrySettings"/>.</summary>
public static class RetryPolicies
{
    /// <summary>Retries every failure.</summary>
    public static TaskOptions Retry(RetrySettings settings) =>
        TaskOptions.FromRetryPolicy(new RetryPolicy(settings.MaxAttempts, settings.FirstInterval, settings.BackoffCoefficient));

    /// <summary>
    /// Retries every failure except those caused by <typeparamref name="TBusinessException"/> (or a subtype):
    /// a business rejection fails the call at once, so the orchestrator can catch it by cause.
    /// </summary>
    public static TaskOptions RetryExcept<TBusinessException>(RetrySettings settings)
        where TBusinessException : Exception =>
        TaskOptions.FromRetryPolicy(
            new RetryPolicy(settings.MaxAttempts, settings.FirstInterval, settings.BackoffCoefficient)
            {
                HandleFailure = failure => !failure.IsCausedBy<TBusinessException>(),
            });
}
