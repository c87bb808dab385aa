using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Workflows.Shared;

namespace Workflows.Operations;

/// <summary>
/// The outcome of purging one instance: how many went, or (nothing purged) which sub-orchestrations still run or which
/// instance of the tree a feature's clean-up before the purge failed for (its exception is logged, never answered).
/// </summary>
public sealed record TreePurge(int Purged, IReadOnlyList<string> StillRunning, string? CleanupFailedFor = null);

/// <summary>
/// Purges finished instances from the task hub together with their sub-orchestrations, which the app starts with
/// ids <c>{parentId}:{key}</c> (<see cref="InstanceStarts.ChildId"/>).
/// The engines' own "recursive" flag is passed too, but the Functions host's Durable extension ignores it. Only the
/// task hub is touched, apart from what the features' <see cref="IInstancePurgeHook"/>s delete first (Orders: the
/// order's reservation claim rows); order views, asset records and blobs stay.
/// </summary>
public sealed class InstancePurger(IEnumerable<IInstancePurgeHook> hooks, ILogger<InstancePurger> logger)
{
    private const int QueryPageSize = 100;

    /// <summary>
    /// Purges the finished instance <paramref name="root"/> and its sub-orchestrations, children first, after every
    /// <see cref="IInstancePurgeHook"/> ran for each; nothing if any still runs or a hook fails (the next purge retries).
    /// No hook runs for a tree that stays because some of it still runs: a hook's deletes cannot be undone, and the
    /// sub-orchestrations (named after the root, so often of the same business id) may still need what it deletes. So
    /// the sub-orchestrations are queried first, also for a root whose clean-up then fails (a query per kept instance),
    /// and again once the hooks passed, for one started meanwhile (then kept, its hooks run: <see cref="IInstancePurgeHook"/>).
    /// </summary>
    public async Task<TreePurge> PurgeTreeAsync(DurableTaskClient client, OrchestrationMetadata root, CancellationToken ct)
    {
        var instanceId = root.InstanceId;
        var (descendants, running) = await DescendantsAsync(client, instanceId, ct);
        if (running.Count > 0)
        {
            return new TreePurge(0, running);
        }

        // The root's hooks first: a root whose clean-up fails does not run its sub-orchestrations' for nothing.
        if (await RunHooksAsync(client, [root, .. descendants], ct) is { } failure)
        {
            return new TreePurge(0, [], failure);
        }

        // Asked again now the hooks are done: a sub-orchestration may have started meanwhile (a re-render starts at any
        // time), and the engine purges a running instance as readily as a finished one. This narrows the window to the
        // purge calls themselves; it cannot close it (the engine has no conditional purge).
        (descendants, running) = await DescendantsAsync(client, instanceId, ct);
        if (running.Count > 0)
        {
            return new TreePurge(0, running);
        }

        // Deepest first, the root last: a purge cut short can simply be repeated.
        var purged = 0;
        foreach (var id in descendants.Select(d => d.InstanceId).OrderByDescending(id => id.Count(c => c == ':')).Append(instanceId))
        {
            purged += (await client.PurgeInstanceAsync(id, new PurgeInstanceOptions(Recursive: true), ct)).PurgedInstanceCount;
        }

        if (purged > 0)
        {
            logger.LogInformation("Purged {InstanceId} and its {Children} sub-orchestration(s) from the task hub", instanceId, descendants.Count);
        }

        return new TreePurge(purged, []);
    }

    /// <summary>
    /// Purges at most <paramref name="max"/> instances in <paramref name="statuses"/> (all finished ones) that finished
    /// before <paramref name="finishedBefore"/>, each with its sub-orchestrations, logging every one. <c>Kept</c> counts
    /// those left in place (a sub-orchestration still runs, or a clean-up failed: they qualify again later); the call
    /// looks past them, so kept instances where the query begins never hide the ones behind them from every later call.
    /// <c>More</c> says that <paramref name="max"/> went and further instances qualify, so a loop on it ends.
    /// </summary>
    public async Task<WorkflowsPurged> PurgeFinishedAsync(
        DurableTaskClient client, IReadOnlyList<OrchestrationRuntimeStatus> statuses, DateTimeOffset finishedBefore, int max,
        CancellationToken ct)
    {
        // Collect first, purge after: deleting while paging would move the engine's page positions. A round that kept
        // some collects again past every instance taken up so far.
        var query = new OrchestrationQuery { Statuses = statuses, CreatedTo = finishedBefore };
        HashSet<string> seen = [];
        var (purged, roots, kept, more) = (0, 0, 0, false);
        do
        {
            var candidates = await QueryAsync(
                client, query, max - roots + 1, ct, i => i.LastUpdatedAt < finishedBefore && !seen.Contains(i.InstanceId));
            more = candidates.Count > max - roots;
            foreach (var instance in candidates.Take(max - roots))
            {
                seen.Add(instance.InstanceId);
                var tree = await PurgeTreeAsync(client, instance, ct);
                purged += tree.Purged;
                roots += tree.Purged > 0 ? 1 : 0;
                if (tree.StillRunning.Count > 0)
                {
                    logger.LogWarning("Kept {InstanceId}: its sub-orchestrations {Running} still run", instance.InstanceId, tree.StillRunning);
                }

                // A failed clean-up was logged by RunHooksAsync; the instance stays and the next run tries again.
                kept += tree.StillRunning.Count > 0 || tree.CleanupFailedFor is not null ? 1 : 0;
            }
        }
        while (more && roots < max);

        logger.LogInformation(
            "Purged {Count} instance(s) that finished before {Cutoff:o}; kept {Kept} for a later run; more to purge now: {More}",
            purged, finishedBefore, kept, more);
        return new WorkflowsPurged(purged, more, kept);
    }

    /// <summary>Runs every hook for every instance; the instance a hook failed for (the exception logged), or null.</summary>
    private async Task<string?> RunHooksAsync(DurableTaskClient client, IReadOnlyList<OrchestrationMetadata> instances, CancellationToken ct)
    {
        foreach (var instance in instances)
        {
            foreach (var hook in hooks)
            {
                try
                {
                    await hook.BeforePurgeAsync(client, instance, ct);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Kept {InstanceId}: the clean-up before its purge failed; the next purge tries again", instance.InstanceId);
                    return instance.InstanceId;
                }
            }
        }

        return null;
    }

    /// <summary>The sub-orchestrations of <paramref name="instanceId"/> (every depth), and the ids of those not finished.</summary>
    private static async Task<(IReadOnlyList<OrchestrationMetadata> All, IReadOnlyList<string> Running)> DescendantsAsync(
        DurableTaskClient client, string instanceId, CancellationToken ct)
    {
        var all = await QueryAsync(client, new OrchestrationQuery { InstanceIdPrefix = InstanceStarts.ChildPrefix(instanceId) }, int.MaxValue, ct);
        return (all, [.. all.Where(d => !OperationsHttp.IsFinished(d.RuntimeStatus)).Select(d => d.InstanceId)]);
    }

    private static async Task<IReadOnlyList<OrchestrationMetadata>> QueryAsync(
        DurableTaskClient client, OrchestrationQuery query, int limit, CancellationToken ct, Func<OrchestrationMetadata, bool>? where = null)
    {
        List<OrchestrationMetadata> found = [];
        await foreach (var instance in client.GetAllInstancesAsync(query with { PageSize = QueryPageSize }).WithCancellation(ct))
        {
            if (where?.Invoke(instance) ?? true)
            {
                found.Add(instance);
                if (found.Count >= limit)
                {
                    break;
                }
            }
        }

        return found;
    }
}
