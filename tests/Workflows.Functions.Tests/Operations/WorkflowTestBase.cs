using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Operations;

/// <summary>
/// The workflow endpoints through the real HTTP server, on an app of each test's own (with the test assembly's harness
/// orchestrators), so purges and lists never see another test's instances.
/// </summary>
public abstract class WorkflowTestBase : IAsyncLifetime
{
    protected HttpTestApp Api { get; set; } = null!;

    protected DurableTaskClient Client => Api.App.Client;

    public virtual async Task InitializeAsync() => Api = await HttpTestApp.StartAsync(extraFunctionAssemblies: typeof(WorkflowTestBase).Assembly);

    public async Task DisposeAsync() => await Api.DisposeAsync();

    /// <summary>Starts an instance that reports <paramref name="stage"/> as custom status and waits for a "go" event.</summary>
    protected async Task<string> StartWaitingAsync(string stage, string? instanceId = null)
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(HarnessWaitOrchestrator), stage, new StartOrchestrationOptions(instanceId ?? TestNames.Unique("wait")));
        using var deadline = new Deadline(TimeSpan.FromSeconds(30));
        await Client.WaitForInstanceStartAsync(id, deadline.Token);
        return id;
    }

    protected async Task<string> CompleteAsync(string stage, string? instanceId = null)
    {
        var id = await StartWaitingAsync(stage, instanceId);
        await Client.RaiseEventAsync(id, "go", stage);
        await Client.WaitForCompletionAsync(id);
        return id;
    }

    /// <summary>Polls until the instance reaches <paramref name="status"/> (commands are carried out by the engine later).</summary>
    protected async Task<OrchestrationMetadata> WaitForStatusAsync(string id, OrchestrationRuntimeStatus status) =>
        (await Poll.UntilAsync(
            $"{id} to be {status}",
            TimeSpan.FromSeconds(60),
            async ct =>
            {
                try
                {
                    return await Client.GetInstanceAsync(id, getInputsAndOutputs: true, ct);
                }
                catch (Grpc.Core.RpcException ex) when (ex.StatusCode == Grpc.Core.StatusCode.Unknown && !ct.IsCancellationRequested)
                {
                    return null; // the in-memory engine's query can throw while a restart replaces the instance under the same id: ask again
                }
            },
            instance => instance?.RuntimeStatus == status))!;
}
