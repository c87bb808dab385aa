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
}
