using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Shared;

/// <summary>The saga building block's rules, on the in-memory engine, with side effects counted in an Azurite table.</summary>
public sealed class CompensationsTests : IAsyncLifetime
{
    private TestApp _app = null!;
    private TableClient _table = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(extraFunctionAssemblies: typeof(CompensationsTests).Assembly);
        _table = _app.Services.GetRequiredService<TableServiceClient>().GetTableClient(TestNames.Unique("saga"));
        await _table.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync()
    {
        await _table.DeleteAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Compensations_LastStepFails_UndoesEveryStepInReverseOrder()
    {
        // Arrange
        var plan = new SagaPlan(_table.Name, ["a", "b", "c", "d"], FailingStep: "d");

        // Act
        var (outcome, effects) = await RunAsync(nameof(SagaTestOrchestrator), plan);

        // Assert
        Assert.False(outcome.Completed);
        Assert.True(outcome.First!.AllSucceeded);
        Assert.Equal(["d", "c", "b", "a"], effects.Where(e => e.Kind == "undo").Select(e => e.Name));
        Assert.True(Last(effects, "do") < First(effects, "undo-attempt"), SideEffects.Format(effects));
    }

    [Fact]
    public async Task Compensations_StepFailsHalfWay_ItsOwnCompensationRunsToo()
    {
        // Arrange: the failing step records its effect, then throws.
        var plan = new SagaPlan(_table.Name, ["a", "b", "c"], FailingStep: "b");

        // Act
        var (outcome, effects) = await RunAsync(nameof(SagaTestOrchestrator), plan);

        // Assert
        Assert.Equal(["do:a", "do:b", "undo-attempt:b", "undo:b", "undo-attempt:a", "undo:a"], effects.Select(e => $"{e.Kind}:{e.Name}"));
        Assert.Equal(2, outcome.First!.Completed.Count);
    }

    [Fact]
    public async Task Compensations_UndoFailsTwice_RetriedUnderItsOwnPolicyUntilItSucceeds()
    {
        // Arrange: a's undo gets 3 attempts and fails the first two.
        var plan = new SagaPlan(_table.Name, ["a", "b"], FailingStep: "b",
            UndoFailingAttempts: new Dictionary<string, int> { ["a"] = 2 },
            UndoMaxAttempts: new Dictionary<string, int> { ["a"] = 3 });

        // Act
        var (outcome, effects) = await RunAsync(nameof(SagaTestOrchestrator), plan);

        // Assert
        Assert.True(outcome.First!.AllSucceeded);
        Assert.Equal(3, effects.Count(e => e is { Kind: "undo-attempt", Name: "a" }));
        Assert.Equal(1, effects.Count(e => e is { Kind: "undo-attempt", Name: "b" }));
        Assert.Equal(1, effects.Count(e => e is { Kind: "undo", Name: "a" }));
    }

    [Fact]
    public async Task Compensations_UndoKeepsFailing_ReportedAndTheRestStillRun_SecondCallRetriesOnlyIt()
    {
        // Arrange: b's undo has no retries and fails its first attempt.
        var plan = new SagaPlan(_table.Name, ["a", "b", "c"], FailingStep: "c",
            UndoFailingAttempts: new Dictionary<string, int> { ["b"] = 1 }, CompensateTwice: true);

        // Act
        var (outcome, effects) = await RunAsync(nameof(SagaTestOrchestrator), plan);

        // Assert
        var failure = Assert.Single(outcome.First!.Failed);
        Assert.Equal(nameof(SagaTestActivities.UndoStep), failure.ActivityName);
        Assert.Equal(typeof(InvalidOperationException).FullName, failure.ErrorType);
        Assert.Contains("Undo of b failed", failure.Message, StringComparison.Ordinal);
        Assert.Equal(2, outcome.First.Completed.Count);
        Assert.True(outcome.Second!.AllSucceeded);
        Assert.Single(outcome.Second.Completed);
        Assert.Equal(["c", "a", "b"], effects.Where(e => e.Kind == "undo").Select(e => e.Name));
        Assert.Equal(2, effects.Count(e => e is { Kind: "undo-attempt", Name: "b" }));
        Assert.Equal(1, effects.Count(e => e is { Kind: "undo-attempt", Name: "a" }));
    }

    [Fact]
    public async Task Compensations_ParallelBranchTakesEffectThenFailsEveryRetry_EveryBranchUndoneOnceAfterAllSettled()
    {
        // Arrange: y records its effect and then fails, on each of its 3 attempts, while z is still running.
        var plan = new ParallelSagaPlan(_table.Name, ["x", "y", "z"], FailingItems: ["y"], SlowItem: "z", BranchMaxAttempts: 3);

        // Act
        var (outcome, effects) = await RunAsync(nameof(ParallelSagaTestOrchestrator), plan);

        // Assert
        Assert.False(outcome.Completed);
        Assert.True(outcome.First!.AllSucceeded);
        Assert.Equal(3, effects.Count(e => e is { Kind: "do", Name: "y" }));
        Assert.Equal(["x", "y", "z"], effects.Where(e => e.Kind == "undo" && e.Name != "setup").Select(e => e.Name).Order());
        Assert.All(["x", "y", "z"], item => Assert.Equal(1, effects.Count(e => e.Kind == "undo-attempt" && e.Name == item)));
        Assert.Equal("setup", effects.Last(e => e.Kind == "undo").Name);
        Assert.True(Last(effects, "do") < First(effects, "undo-attempt"), SideEffects.Format(effects));
    }

    [Fact]
    public async Task Compensations_ParallelBranchThrowsBeforeStarting_StartedBranchesStillSettleAndAreUndone()
    {
        // Arrange: building y's request throws; x and the slow z are already running.
        var plan = new ParallelSagaPlan(_table.Name, ["x", "y", "z"], FailingItems: [], SlowItem: "z", ThrowingItem: "y");

        // Act
        var (outcome, effects) = await RunAsync(nameof(ParallelSagaTestOrchestrator), plan);

        // Assert: y's undo was registered before it (failed to) start; it runs and finds nothing to undo.
        Assert.False(outcome.Completed);
        Assert.Equal(["setup", "x", "y", "z"], effects.Where(e => e.Kind == "undo").Select(e => e.Name).Order());
        Assert.True(Last(effects, "do") < First(effects, "undo-attempt"), SideEffects.Format(effects));
    }

    private async Task<(SagaOutcome Outcome, IReadOnlyList<SideEffect> Effects)> RunAsync(string orchestrator, object plan)
    {
        var id = await _app.Client.ScheduleNewOrchestrationInstanceAsync(orchestrator, plan);
        var result = await _app.WaitForCompletionAsync(id);
        Assert.True(result.RuntimeStatus == OrchestrationRuntimeStatus.Completed, result.FailureDetails?.ToString());
        return (result.ReadOutputAs<SagaOutcome>()!, await SideEffects.ReadAsync(_table, id));
    }

    private static int First(IReadOnlyList<SideEffect> effects, string kind) => effects.ToList().FindIndex(e => e.Kind == kind);

    private static int Last(IReadOnlyList<SideEffect> effects, string kind) => effects.ToList().FindLastIndex(e => e.Kind == kind);
}
