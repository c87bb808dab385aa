using Microsoft.DurableTask.Client;

namespace Workflows.Shared;

/// <summary>
/// Work a feature does before one of its finished instances leaves the task hub, such as deleting rows that only
/// matter while the instance's messages may still be delivered. The purger calls every registered hook for every
/// instance of a tree before purging any of it (the root's first), and only once nothing in the tree still runs; a hook
/// that throws keeps the whole tree for the next purge, so a hook must be idempotent and must ignore instances that are
/// not its feature's. A hook may run for an instance that then stays when another hook failed after it, or when a
/// sub-orchestration of the tree started while the hooks ran (the purger asks again after them).
/// </summary>
public interface IInstancePurgeHook
{
    /// <param name="instance">A finished instance (metadata without inputs; fetch them from <paramref name="client"/>).</param>
    Task BeforePurgeAsync(DurableTaskClient client, OrchestrationMetadata instance, CancellationToken ct);
}
