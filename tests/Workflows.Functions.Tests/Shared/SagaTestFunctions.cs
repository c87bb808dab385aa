using Azure.Data.Tables;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Workflows.Shared;

namespace Workflows.Tests.Shared;

public sealed record SagaStepRequest(string Table, string Scope, string Name, bool Fail = false, int DelayMilliseconds = 0);

public sealed record SagaUndoRequest(string Table, string Scope, string Name, int FailingAttempts = 0, int HangingAttempts = 0);

/// <summary>A saga script: steps in order, which one fails, how each undo misbehaves and the retries it gets.</summary>
public sealed record SagaPlan(
    string Table,
    IReadOnlyList<string> Steps,
    string? FailingStep = null,
    IReadOnlyDictionary<string, int>? UndoFailingAttempts = null,
    IReadOnlyDictionary<string, int>? UndoMaxAttempts = null,
    IReadOnlyDictionary<string, int>? UndoHangingAttempts = null,
    bool CompensateTwice = false,
    string? WaitForEventBeforeFailing = null);

/// <summary>Parallel branches: which fail (after their effect, on every attempt), which is slow, and the attempts each gets.</summary>
public sealed record ParallelSagaPlan(
    string Table,
    IReadOnlyList<string> Items,
    IReadOnlyList<string> FailingItems,
    string SlowItem,
    string? ThrowingItem = null,
    int BranchMaxAttempts = 1);

public sealed record SagaOutcome(bool Completed, CompensationReport? First, CompensationReport? Second);

/// <summary>Test-only: sequential saga driven by <see cref="SagaPlan"/>.</summary>
public static class SagaTestOrchestrator
{
    [Function(nameof(SagaTestOrchestrator))]
    public static async Task<SagaOutcome> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context, SagaPlan plan)
    {
        var compensations = new Compensations(context);
        try
        {
            foreach (var step in plan.Steps)
            {
                if (step == plan.FailingStep && plan.WaitForEventBeforeFailing is { } gate)
                {
                    context.SetCustomStatus("waiting");
                    await context.WaitForExternalEvent<bool>(gate);
                }

                var undo = new Compensation(
                    nameof(SagaTestActivities.UndoStep),
                    new SagaUndoRequest(plan.Table, context.InstanceId, step, plan.UndoFailingAttempts?.GetValueOrDefault(step) ?? 0,
                        plan.UndoHangingAttempts?.GetValueOrDefault(step) ?? 0),
                    Retry(plan.UndoMaxAttempts?.GetValueOrDefault(step) ?? 1));
                await compensations.RunAsync(undo, () => context.CallActivityAsync<string>(
                    nameof(SagaTestActivities.DoStep), new SagaStepRequest(plan.Table, context.InstanceId, step, step == plan.FailingStep)));
            }

            return new SagaOutcome(true, null, null);
        }
        catch (TaskFailedException ex) when (ex.FailureDetails.IsCausedBy<InvalidOperationException>())
        {
            var first = await compensations.CompensateAsync();
            var second = plan.CompensateTwice ? await compensations.CompensateAsync() : null;
            return new SagaOutcome(false, first, second);
        }
    }

    internal static TaskOptions? Retry(int maxAttempts) => maxAttempts <= 1
        ? null
        : TaskOptions.FromRetryPolicy(new RetryPolicy(maxAttempts, TimeSpan.FromMilliseconds(10)));
}

/// <summary>Test-only: a set-up step, then parallel branches, then compensation when a branch failed.</summary>
public static class ParallelSagaTestOrchestrator
{
    [Function(nameof(ParallelSagaTestOrchestrator))]
    public static async Task<SagaOutcome> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context, ParallelSagaPlan plan)
    {
        var compensations = new Compensations(context);
        await compensations.RunAsync(
            new Compensation(nameof(SagaTestActivities.UndoStep), new SagaUndoRequest(plan.Table, context.InstanceId, "setup")),
            () => context.CallActivityAsync<string>(nameof(SagaTestActivities.DoStep), new SagaStepRequest(plan.Table, context.InstanceId, "setup")));
        try
        {
            await compensations.RunParallelAsync(
                plan.Items,
                item => item == plan.ThrowingItem
                    ? throw new InvalidOperationException($"No request for {item}.")
                    : context.CallActivityAsync<string>(
                        nameof(SagaTestActivities.DoStep),
                        new SagaStepRequest(plan.Table, context.InstanceId, item, plan.FailingItems.Contains(item), item == plan.SlowItem ? 300 : 0),
                        SagaTestOrchestrator.Retry(plan.BranchMaxAttempts)),
                item => new Compensation(nameof(SagaTestActivities.UndoStep), new SagaUndoRequest(plan.Table, context.InstanceId, item)));
            return new SagaOutcome(true, null, null);
        }
        catch (Exception ex) when (ex is InvalidOperationException || (ex as TaskFailedException)?.FailureDetails.IsCausedBy<InvalidOperationException>() == true)
        {
            return new SagaOutcome(false, await compensations.CompensateAsync(), null);
        }
    }
}

/// <summary>Test-only activities that record every attempt in a table (the app's own TableServiceClient).</summary>
public sealed class SagaTestActivities(TableServiceClient tables)
{
    /// <summary>Does a step; a failing step fails after its side effect, like a step that half-happened.</summary>
    [Function(nameof(DoStep))]
    public async Task<string> DoStep([ActivityTrigger] SagaStepRequest request, CancellationToken cancellationToken)
    {
        await Task.Delay(request.DelayMilliseconds, cancellationToken);
        await SideEffects.RecordAsync(tables.GetTableClient(request.Table), request.Scope, "do", request.Name, cancellationToken);
        return request.Fail ? throw new InvalidOperationException($"Step {request.Name} failed.") : request.Name;
    }

    /// <summary>
    /// Undoes a step once: fails its first <c>FailingAttempts</c> attempts, and is a no-op when already undone. Its first
    /// <c>HangingAttempts</c> attempts never report back after doing the work, like a worker that crashed right then.
    /// </summary>
    [Function(nameof(UndoStep))]
    public async Task UndoStep([ActivityTrigger] SagaUndoRequest request, CancellationToken cancellationToken)
    {
        var table = tables.GetTableClient(request.Table);
        await SideEffects.RecordAsync(table, request.Scope, "undo-attempt", request.Name, cancellationToken);
        var attempts = await SideEffects.CountAsync(table, request.Scope, "undo-attempt", request.Name, cancellationToken);
        if (attempts <= request.FailingAttempts)
        {
            throw new InvalidOperationException($"Undo of {request.Name} failed (attempt {attempts}).");
        }

        // Idempotent: a redelivered compensation finds its effect already there.
        await SideEffects.RecordOnceAsync(table, request.Scope, $"undo:{request.Name}", "undo", request.Name, cancellationToken);
        if (attempts <= request.HangingAttempts)
        {
            await Task.Delay(Timeout.Infinite, CancellationToken.None); // deliberately deaf to shutdown: a crash, not a cancellation
        }
    }
}
