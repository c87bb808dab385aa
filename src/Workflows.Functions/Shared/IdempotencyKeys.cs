namespace Workflows.Shared;

/// <summary>
/// Idempotency keys for side effects started by an orchestration: <c>{instanceId}:{step}:{item}</c>, built only from
/// replay-stable values, so every retry or replay of a step presents the same key to the store or provider.
/// </summary>
public static class IdempotencyKeys
{
    public static string For(string instanceId, string step, string? item = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentException.ThrowIfNullOrEmpty(step);
        return string.IsNullOrEmpty(item) ? $"{instanceId}:{step}" : $"{instanceId}:{step}:{item}";
    }
}
