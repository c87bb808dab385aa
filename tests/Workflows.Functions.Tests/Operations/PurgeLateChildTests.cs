using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Shared;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Operations;

/// <summary>
/// A sub-orchestration that starts while a purge of its parent is under way (after the purge looked for running ones),
/// as <c>POST /api/assets/{id}/rerender</c> starts <c>asset-…:rerender</c> at any time. The engine purges a running
/// instance as readily as a finished one, so the purge must not take the tree once something in it runs.
/// </summary>
public sealed class PurgeLateChildTests : WorkflowTestBase
{
    private readonly StartingHook _hook = new();

    public override async Task InitializeAsync()
    {
        Api = await HttpTestApp.StartAsync(
            services: s => s.AddSingleton<IInstancePurgeHook>(_hook),
            extraFunctionAssemblies: typeof(WorkflowTestBase).Assembly);
        _hook.Start = StartWaitingAsync;
    }

    [Fact]
    public async Task Purge_ASubOrchestrationStartsWhileTheCleanUpRuns_409AndTheTreeStays()
    {
        // Arrange: a finished parent; while the clean-up before its purge runs, a sub-orchestration of it starts
        var parent = await CompleteAsync("parent");
        _hook.ChildOf = parent;

        // Act
        var problem = await HttpTestApp.AssertProblemAsync(await Api.Http.DeleteAsync($"workflows/{parent}"), 409);

        // Assert: kept for the running child, which is still there, as is its parent
        Assert.NotNull(_hook.Started);
        Assert.Contains(_hook.Started, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await Client.GetInstanceAsync(_hook.Started))?.RuntimeStatus);
        Assert.NotNull(await Client.GetInstanceAsync(parent));
    }

    /// <summary>A feature's clean-up during which a sub-orchestration of the instance being purged starts (once).</summary>
    private sealed class StartingHook : IInstancePurgeHook
    {
        public Func<string, string?, Task<string>> Start { get; set; } = null!;

        public string? ChildOf { get; set; }

        public string? Started { get; private set; }

        public async Task BeforePurgeAsync(DurableTaskClient client, OrchestrationMetadata instance, CancellationToken ct)
        {
            if (instance.InstanceId == ChildOf && Started is null)
            {
                Started = await Start("late child", InstanceStarts.ChildId(instance.InstanceId, "late"));
            }
        }
    }
}
