using System.Reflection;
using Grpc.Net.Client;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Workflows.Tests.TestSupport;

/// <summary>
/// The app on the in-memory engine: every [Function] orchestrator and activity of the app (plus extra assemblies),
/// the app's composition root, WorkflowsStorage on the test Azurite, and a task hub of its own.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    private readonly Sidecar _sidecar;
    private readonly GrpcChannel _channel;
    private readonly IHost _host;

    private TestApp(Sidecar sidecar, GrpcChannel channel, IHost host)
    {
        _sidecar = sidecar;
        _channel = channel;
        _host = host;
    }

    /// <summary>The engine's client; also what HTTP functions get as their [DurableClient].</summary>
    public DurableTaskClient Client => _host.Services.GetRequiredService<DurableTaskClient>();

    /// <summary>The worker's services: the same singletons the activities use.</summary>
    public IServiceProvider Services => _host.Services;

    public IConfiguration Configuration => _host.Services.GetRequiredService<IConfiguration>();

    public static async Task<TestApp> StartAsync(
        Action<IDictionary<string, string?>>? settings = null,
        Action<IServiceCollection>? services = null,
        params Assembly[] extraFunctionAssemblies)
    {
        var storage = await Azurite.GetAsync();
        var values = SampleSettings.Create(storage.ConnectionString, TestNames.Unique("hub"));
        settings?.Invoke(values);
        var functions = FunctionCatalog.Discover(extraFunctionAssemblies);

        var engine = new InMemoryOrchestrationService(NullLoggerFactory.Instance);
        var sidecar = await Sidecar.StartAsync(engine, engine);
        var channel = GrpcChannel.ForAddress(sidecar.Address);
        IHost? host = null;
        try
        {
            host = WorkerHost.Build(channel, values, services, functions); // the composition root's own checks fail here
            await host.StartAsync(); // options validated on start fail here, as they would in the Functions worker
        }
        catch
        {
            host?.Dispose();
            channel.Dispose();
            await sidecar.DisposeAsync();
            throw;
        }

        return new TestApp(sidecar, channel, host);
    }

    /// <summary>Creates a function class (e.g. an HTTP function) the way the host does, from the worker's services.</summary>
    public T CreateFunction<T>() where T : class => ActivatorUtilities.CreateInstance<T>(Services);

    /// <summary>Waits for the instance to finish (completed, failed or terminated) within a <see cref="Deadline"/>; throws <see cref="TimeoutException"/>.</summary>
    public Task<OrchestrationMetadata> WaitForCompletionAsync(string instanceId, TimeSpan? timeout = null) =>
        Client.WaitForCompletionAsync(instanceId, timeout);

    public async ValueTask DisposeAsync()
    {
        await WorkerHost.StopAsync(_host);
        await _channel.ShutdownAsync();
        _channel.Dispose();
        await _sidecar.DisposeAsync();
    }
}

public static class DurableTaskClientTestExtensions
{
    /// <summary>
    /// Waits with inputs and outputs for the instance to finish, within a <see cref="Deadline"/> of
    /// <paramref name="timeout"/> (what it may take on a quiet machine; 60 s); a timeout names the status it was stuck in.
    /// </summary>
    public static async Task<OrchestrationMetadata> WaitForCompletionAsync(this DurableTaskClient client, string instanceId, TimeSpan? timeout = null)
    {
        using var deadline = new Deadline(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            return await client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, deadline.Token);
        }
        catch (Exception e) when (deadline.IsCancellationRequested && e is OperationCanceledException or Grpc.Core.RpcException)
        {
            var current = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
            throw new TimeoutException(
                $"Instance '{instanceId}' did not finish in time ({deadline}): status {current?.RuntimeStatus.ToString() ?? "unknown"}, " +
                $"custom status {current?.SerializedCustomStatus ?? "none"}.");
        }
    }
}
