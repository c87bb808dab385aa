using Workflows.Operations;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Operations;

/// <summary>The operations endpoints called as the host calls them, against the in-memory engine's real client.</summary>
public abstract class OperationsHttpTestBase : IAsyncLifetime
{
    protected TestApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await TestApp.StartAsync(extraFunctionAssemblies: typeof(OperationsHttpTestBase).Assembly);

    public async Task DisposeAsync() => await App.DisposeAsync();

    protected TerminateInstanceHttp Terminate() => App.CreateFunction<TerminateInstanceHttp>();

    protected PurgeInstanceHttp Purge() => App.CreateFunction<PurgeInstanceHttp>();

    /// <summary>Starts an instance that reports <paramref name="stage"/> as custom status and waits for a "go" event.</summary>
    protected async Task<string> StartWaitingAsync(string stage)
    {
        var id = await App.Client.ScheduleNewOrchestrationInstanceAsync(nameof(HarnessWaitOrchestrator), stage);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await App.Client.WaitForInstanceStartAsync(id, timeout.Token);
        return id;
    }

    protected async Task<string> CompleteAsync(string stage)
    {
        var id = await StartWaitingAsync(stage);
        await App.Client.RaiseEventAsync(id, "go", stage);
        await App.WaitForCompletionAsync(id);
        return id;
    }

    protected async Task<TestHttpResponse> GetStatusAsync(string id)
    {
        var request = TestHttp.Request("GET", $"/api/operations/instances/{Uri.EscapeDataString(id)}");
        return await (await InstanceStatusHttp.GetInstanceStatus(request, id, App.Client)).ExecuteAsync(request);
    }
}
