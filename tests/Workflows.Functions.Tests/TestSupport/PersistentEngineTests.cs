using System.Collections.Concurrent;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Workflows.Tests.Shared;

namespace Workflows.Tests.TestSupport;

/// <summary>The persistent engine: orchestrations survive a worker (or whole app) restart, compensations run once.</summary>
public sealed class PersistentEngineTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PersistentEngine_RestartBetweenStepsAndTheirCompensation_EveryCompensationRunsExactlyOnce(bool wholeApp)
    {
        // Arrange: steps a and b run on the first worker; the saga then waits before step c, which fails.
        await using var app = await PersistentTestApp.StartAsync(extraFunctionAssemblies: typeof(PersistentEngineTests).Assembly);
        var table = app.Services.GetRequiredService<TableServiceClient>().GetTableClient(TestNames.Unique("saga"));
        await table.CreateIfNotExistsAsync();
        var plan = new SagaPlan(table.Name, ["a", "b", "c"], FailingStep: "c", WaitForEventBeforeFailing: "go");
        var id = await app.Client.ScheduleNewOrchestrationInstanceAsync(nameof(SagaTestOrchestrator), plan);
        await WaitForCustomStatusAsync(app.Client, id, "\"waiting\"");

        // Act: a new worker finishes the saga.
        if (wholeApp)
        {
            await app.RestartAsync();
        }
        else
        {
            await app.RestartWorkerAsync();
        }

        await app.Client.RaiseEventAsync(id, "go", true);
        var result = await app.WaitForCompletionAsync(id);

        // Assert
        Assert.True(result.RuntimeStatus == OrchestrationRuntimeStatus.Completed, result.FailureDetails?.ToString());
        Assert.True(result.ReadOutputAs<SagaOutcome>()!.First!.AllSucceeded);
        var effects = await SideEffects.ReadAsync(table, id);
        Assert.Equal(["do:a", "do:b", "do:c", "undo:c", "undo:b", "undo:a"],
            effects.Where(e => e.Kind != "undo-attempt").Select(e => $"{e.Kind}:{e.Name}"));
        Assert.All(["a", "b", "c"], step => Assert.Equal(1, effects.Count(e => e.Kind == "undo-attempt" && e.Name == step)));
        await table.DeleteAsync();
    }

    [Fact]
    public async Task AddHostAsync_SecondHostOnTheTaskHub_NeverListensToTheControlQueueWhileTheAppDoes()
    {
        // Arrange: both backends' logs in one timeline (the app's backend is 0, the added host's 1); one control queue.
        // A lease far longer than the test, so that a renewal delayed by a loaded machine never hands it over rightly.
        var timeline = new BackendLogs();
        await using var app = await PersistentTestApp.StartAsync(
            backend: b =>
            {
                b.LoggerFactory = timeline.ForNextBackend();
                b.LeaseInterval = TimeSpan.FromMinutes(5);
            },
            extraFunctionAssemblies: typeof(PersistentEngineTests).Assembly);

        // Act: a second host joins, and orchestrations run meanwhile (the partition managers check the lease every second)
        IReadOnlyList<(int Backend, string Message)> logged;
        await using (await app.AddHostAsync())
        {
            for (var i = 0; i < 5; i++)
            {
                var id = await app.Client.ScheduleNewOrchestrationInstanceAsync(nameof(HarnessWaitOrchestrator), "scaled");
                await app.Client.WaitForInstanceStartAsync(id);
                await app.Client.RaiseEventAsync(id, "go", "scaled");
                Assert.Equal(OrchestrationRuntimeStatus.Completed, (await app.WaitForCompletionAsync(id)).RuntimeStatus);
            }

            logged = [.. timeline.Lines]; // before the host's shutdown hands the lease over
        }

        // Assert: the lease (and so the orchestrations) is one backend's at a time, as on a scaled-out app whose instances
        // each have a worker id of their own; with the app's worker id the added one takes the app's lease as its own
        var listening = new bool[2];
        foreach (var (backend, message) in logged.Where(l => l.Message.EndsWith("-control-00.", StringComparison.Ordinal)))
        {
            listening[backend] = message.Contains(": Started listening", StringComparison.Ordinal)
                || (listening[backend] && !message.Contains(": Stopped listening", StringComparison.Ordinal));
            Assert.False(listening[0] && listening[1], $"both backends listen to the control queue:\n{string.Join('\n', logged)}");
        }

        Assert.Contains(true, listening);
    }

    /// <summary>The Azure Storage engine's logs of each backend created, in one timeline: (backend index, message).</summary>
    private sealed class BackendLogs
    {
        private int _backends;

        public ConcurrentQueue<(int Backend, string Message)> Lines { get; } = new();

        public ILoggerFactory ForNextBackend()
        {
            var backend = Interlocked.Increment(ref _backends) - 1;
            return LoggerFactory.Create(l => l.AddProvider(new Provider(this, backend)).SetMinimumLevel(LogLevel.Information));
        }

        private sealed class Provider(BackendLogs logs, int backend) : ILoggerProvider, ILogger
        {
            public ILogger CreateLogger(string categoryName) => this;

            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Lines.Enqueue((backend, formatter(state, exception)));

            public void Dispose()
            {
            }
        }
    }

    [Fact]
    public async Task PersistentEngine_AppCrashesAfterACompensationsEffect_RedeliveredCompensationTakesEffectOnce()
    {
        // Arrange: b's undo does its work, then never reports back; the backend redelivers lost work after 3 s.
        await using var app = await PersistentTestApp.StartAsync(
            backend: b => b.WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(3),
            extraFunctionAssemblies: typeof(PersistentEngineTests).Assembly);
        var table = app.Services.GetRequiredService<TableServiceClient>().GetTableClient(TestNames.Unique("saga"));
        await table.CreateIfNotExistsAsync();
        var plan = new SagaPlan(table.Name, ["a", "b", "c"], FailingStep: "c", UndoHangingAttempts: new Dictionary<string, int> { ["b"] = 1 });
        var id = await app.Client.ScheduleNewOrchestrationInstanceAsync(nameof(SagaTestOrchestrator), plan);
        await WaitForEffectAsync(table, id, new SideEffect("undo", "b"));

        // Act: the app goes down with b's undo in flight; the restarted app gets it again.
        await app.RestartAsync();
        var result = await app.WaitForCompletionAsync(id);

        // Assert
        Assert.True(result.RuntimeStatus == OrchestrationRuntimeStatus.Completed, result.FailureDetails?.ToString());
        var effects = await SideEffects.ReadAsync(table, id);
        Assert.Equal(["undo:c", "undo:b", "undo:a"], effects.Where(e => e.Kind == "undo").Select(e => $"{e.Kind}:{e.Name}"));
        Assert.Equal(2, effects.Count(e => e is { Kind: "undo-attempt", Name: "b" }));
        Assert.Equal(1, effects.Count(e => e is { Kind: "undo-attempt", Name: "a" }));
        await table.DeleteAsync();
    }

    [Fact]
    public async Task PersistentEngine_AppProcessKilledDuringCompensation_NewProcessFinishesWithEveryEffectOnce()
    {
        // Arrange: b's undo does its work, then hangs; the app process is then SIGKILLed.
        await using var app = await ChildProcessApp.StartAsync();
        var table = app.Services.GetRequiredService<TableServiceClient>().GetTableClient(TestNames.Unique("saga"));
        await table.CreateIfNotExistsAsync();
        var plan = new SagaPlan(table.Name, ["a", "b", "c"], FailingStep: "c", UndoHangingAttempts: new Dictionary<string, int> { ["b"] = 1 });
        var id = await app.Client.ScheduleNewOrchestrationInstanceAsync(nameof(SagaTestOrchestrator), plan);
        await WaitForEffectAsync(table, id, new SideEffect("undo", "b"));

        // Act
        await app.KillProcessAsync();
        await app.StartProcessAsync();
        var result = await app.Client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(90));

        // Assert
        Assert.True(result.RuntimeStatus == OrchestrationRuntimeStatus.Completed, result.FailureDetails?.ToString());
        var effects = await SideEffects.ReadAsync(table, id);
        var done = effects.Where(e => e.Kind != "undo-attempt").Select(e => $"{e.Kind}:{e.Name}").ToList();

        // DoStep records every execution, and delivery is at least once: under load a step's message can come back
        // after the kill (seen in CI: a second do:b after undo:b). The order of first effects and each undo once is the point.
        Assert.Equal(["do:a", "do:b", "do:c", "undo:c", "undo:b", "undo:a"], done.Distinct());
        Assert.Equal(3, done.Count(e => e.StartsWith("undo:", StringComparison.Ordinal)));
        Assert.Equal(2, effects.Count(e => e is { Kind: "undo-attempt", Name: "b" }));
        await table.DeleteAsync();
    }

    private static Task WaitForEffectAsync(TableClient table, string scope, SideEffect effect) =>
        Poll.UntilAsync($"side effect {effect} of {scope}", TimeSpan.FromSeconds(60), async ct => (await SideEffects.ReadAsync(table, scope, ct)).Contains(effect));

    // Custom status comes back only with inputs and outputs.
    private static Task<string?> WaitForCustomStatusAsync(DurableTaskClient client, string instanceId, string status) =>
        Poll.UntilAsync(
            $"the custom status of {instanceId} to be {status}",
            TimeSpan.FromSeconds(60),
            async ct => (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct))?.SerializedCustomStatus,
            current => current == status);
}
