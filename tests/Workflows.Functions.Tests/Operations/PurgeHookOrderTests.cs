using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Operations;
using Workflows.Shared;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Operations;

/// <summary>
/// When a purge runs the features' <see cref="IInstancePurgeHook"/>s: only for a tree it then purges. A hook's deletes
/// cannot be undone, so a finished instance kept because one of its sub-orchestrations still runs must not have lost
/// its feature's rows; and the answer is then the 409 that says what to do (terminate it), whatever a hook would say.
/// </summary>
public sealed class PurgeHookOrderTests : WorkflowTestBase
{
    private readonly RecordingHook _hook = new();

    public override async Task InitializeAsync() =>
        Api = await HttpTestApp.StartAsync(
            services: s => s.AddSingleton<IInstancePurgeHook>(_hook),
            extraFunctionAssemblies: typeof(WorkflowTestBase).Assembly);

    [Fact]
    public async Task Purge_FinishedParentWithARunningChild_RunsNoHookAndAnswers409()
    {
        // Arrange: a completed parent whose sub-orchestration still runs; the feature's clean-up fails (its storage is down)
        var parent = await CompleteAsync("parent");
        var child = await StartWaitingAsync("child", $"{parent}:child");

        // Act: an operator purges the parent, then purges by age
        var problem = await HttpTestApp.AssertProblemAsync(await Api.Http.DeleteAsync($"workflows/{parent}"), 409);
        using var byAge = await Api.PostAsync("workflows/purge", new PurgeWorkflowsRequest(["Completed"], OlderThanDays: 0));

        // Assert: both kept it for its running child, and neither ran a clean-up for an instance that stays
        Assert.Contains(child, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(new WorkflowsPurged(0, false, 1), await byAge.Content.ReadFromJsonAsync<WorkflowsPurged>(HttpTestApp.Json));
        Assert.Empty(_hook.Ran);
        Assert.NotNull(await Client.GetInstanceAsync(parent));
        Assert.NotNull(await Client.GetInstanceAsync(child));
    }

    /// <summary>A feature's clean-up that records each instance it is run for, then fails (its storage is down).</summary>
    private sealed class RecordingHook : IInstancePurgeHook
    {
        public ConcurrentQueue<string> Ran { get; } = new();

        public Task BeforePurgeAsync(DurableTaskClient client, OrchestrationMetadata instance, CancellationToken ct)
        {
            Ran.Enqueue(instance.InstanceId);
            throw new InvalidOperationException("clean-up failed");
        }
    }
}
