using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Workflows.Observability;

namespace Workflows.Shared;

/// <summary>An activity that undoes one step, with the retry policy it runs under.</summary>
public sealed record Compensation(string ActivityName, object? Input, TaskOptions? Retry = null);

/// <summary>A compensation that still failed after its retries.</summary>
public sealed record CompensationFailure(string ActivityName, string ErrorType, string Message);

/// <summary>What running the compensations did: those that ran, in order, and those still outstanding.</summary>
public sealed record CompensationReport(IReadOnlyList<string> Completed, IReadOnlyList<CompensationFailure> Failed)
{
    public bool AllSucceeded => Failed.Count == 0;
}

/// <summary>
/// The saga's undo log, kept inside one orchestration. A step registers its compensation before it runs, so a step that
/// failed half-way is undone too (compensations must therefore be safe when there is nothing to undo). Compensations run
/// in reverse order; one that still fails after its retries is reported, not swallowed, and stays outstanding so a later
/// <see cref="CompensateAsync"/> retries just those.
/// </summary>
public sealed class Compensations(TaskOrchestrationContext context)
{
    private readonly List<Compensation> _outstanding = [];

    /// <summary>Registers the compensation of the step about to run.</summary>
    public void Register(Compensation compensation) => _outstanding.Add(compensation);

    /// <summary>
    /// Puts <paramref name="replacement"/> in the place of <paramref name="registered"/> (still outstanding): for a step
    /// whose result narrows down what its undo may touch (e.g. the version of a blob it wrote).
    /// </summary>
    public void Replace(Compensation registered, Compensation replacement)
    {
        var index = _outstanding.IndexOf(registered);
        if (index < 0)
        {
            throw new InvalidOperationException($"Compensation {registered.ActivityName} is not outstanding.");
        }

        _outstanding[index] = replacement;
    }

    /// <summary>Registers <paramref name="compensation"/>, then runs <paramref name="step"/>.</summary>
    public Task<T> RunAsync<T>(Compensation compensation, Func<Task<T>> step)
    {
        Register(compensation);
        return step();
    }

    /// <summary>
    /// Runs one branch per item in parallel. The compensation of every branch is registered before any branch starts,
    /// because a branch can take effect and still fail (a write that committed before a timeout, a crash after it), so
    /// every branch that may have started is undone. Returns once every branch has settled; if any failed, the first
    /// failure (in item order) is rethrown, so the undos never run while a sibling is still working.
    /// </summary>
    public async Task<IReadOnlyList<TResult>> RunParallelAsync<TItem, TResult>(
        IReadOnlyList<TItem> items,
        Func<TItem, Task<TResult>> branch,
        Func<TItem, Compensation> compensationFor)
    {
        foreach (var item in items)
        {
            Register(compensationFor(item));
        }

        List<Task<TResult>> branches = new(items.Count);
        branches.AddRange(items.Select(item => Start(branch, item)));
        return await Task.WhenAll(branches); // rethrows the branch's own exception, so callers can catch it by cause
    }

    // A branch that throws before returning its task (e.g. while building its request) counts as a failed branch, so the
    // branches already started are still awaited.
    private static Task<TResult> Start<TItem, TResult>(Func<TItem, Task<TResult>> branch, TItem item)
    {
        try
        {
            return branch(item);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Task.FromException<TResult>(ex);
        }
    }

    /// <summary>
    /// Runs every outstanding compensation in reverse order of registration, each under its own retry policy.
    /// Failures are collected and the rest still run; failed ones stay outstanding for a later call.
    /// </summary>
    public async Task<CompensationReport> CompensateAsync()
    {
        List<string> completed = [];
        List<CompensationFailure> failed = [];
        List<Compensation> stillOutstanding = [];

        for (var i = _outstanding.Count - 1; i >= 0; i--)
        {
            var compensation = _outstanding[i];
            try
            {
                await context.CallActivityAsync(compensation.ActivityName, compensation.Input, compensation.Retry);
                completed.Add(compensation.ActivityName);
                RecordMetric(compensation, succeeded: true);
            }
            catch (TaskFailedException ex)
            {
                failed.Add(new CompensationFailure(
                    compensation.ActivityName,
                    ex.FailureDetails.ErrorType,
                    ex.FailureDetails.ErrorMessage));
                stillOutstanding.Insert(0, compensation);
                RecordMetric(compensation, succeeded: false);
            }
        }

        _outstanding.Clear();
        _outstanding.AddRange(stillOutstanding);
        return new CompensationReport(completed, failed);
    }

    /// <summary>Logs and counts a compensation's result once: never again when the orchestrator replays it.</summary>
    private void RecordMetric(Compensation compensation, bool succeeded)
    {
        if (context.IsReplaying)
        {
            return;
        }

        WorkflowMetrics.CompensationRan(compensation.ActivityName, succeeded);
        var logger = context.CreateReplaySafeLogger(typeof(Compensations).FullName!);
        if (succeeded)
        {
            logger.LogInformation("{InstanceId}: compensation {Activity} ran", context.InstanceId, compensation.ActivityName);
        }
        else
        {
            logger.LogWarning("{InstanceId}: compensation {Activity} failed after its retries", context.InstanceId, compensation.ActivityName);
        }
    }
}
