using System.Reflection;
using System.Text.Json;
using DurableTask.AzureStorage;
using DurableTask.Core.History;
using Grpc.Net.Client;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Workflows.Tests.TestSupport;

/// <summary>
/// The app on the persistent engine Durable Functions uses by default: DurableTask.AzureStorage over the test Azurite,
/// behind the gRPC sidecar, with the standard Durable Task worker and client. The worker can be stopped mid-orchestration
/// and a new one started that finishes the work from the task hub's history, as after a deployment or scale-in;
/// <see cref="RestartAsync"/> also replaces the backend, as a restart of the whole Functions host would.
/// </summary>
public sealed class PersistentTestApp : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly Action<AzureStorageOrchestrationServiceSettings>? _backendSettings;
    private readonly IReadOnlyList<DurableFunction> _functions;
    private readonly IHost _clientHost;
    private readonly GrpcChannel _clientChannel;
    private AzureStorageOrchestrationService _backend;
    private Sidecar _sidecar;
    private (IHost Host, GrpcChannel Channel)? _worker;
    private int _addedHosts;

    private PersistentTestApp(
        Dictionary<string, string?> settings, Action<IServiceCollection>? services, Action<AzureStorageOrchestrationServiceSettings>? backendSettings,
        IReadOnlyList<DurableFunction> functions, AzureStorageOrchestrationService backend, Sidecar sidecar, IHost clientHost, GrpcChannel clientChannel)
    {
        _settings = settings;
        _services = services;
        _backendSettings = backendSettings;
        _functions = functions;
        _backend = backend;
        _sidecar = sidecar;
        _clientHost = clientHost;
        _clientChannel = clientChannel;
    }

    public string TaskHubName => _settings["TaskHubName"]!;

    /// <summary>A client that outlives worker restarts.</summary>
    public DurableTaskClient Client => _clientHost.Services.GetRequiredService<DurableTaskClient>();

    /// <summary>The app's services (its composition root) on the client side; the worker has its own copies.</summary>
    public IServiceProvider Services => _clientHost.Services;

    public IConfiguration Configuration => _clientHost.Services.GetRequiredService<IConfiguration>();

    public bool IsWorkerRunning => _worker is not null;

    /// <param name="settings">Extra or overriding app settings.</param>
    /// <param name="services">Service overrides after the app's composition root.</param>
    /// <param name="backend">Backend tuning, e.g. a short <c>WorkItemQueueVisibilityTimeout</c> so work lost in a crash
    /// (<see cref="RestartAsync"/> with an activity in flight) is redelivered quickly.</param>
    /// <param name="extraFunctionAssemblies">Assemblies with test-only functions.</param>
    public static async Task<PersistentTestApp> StartAsync(
        Action<IDictionary<string, string?>>? settings = null,
        Action<IServiceCollection>? services = null,
        Action<AzureStorageOrchestrationServiceSettings>? backend = null,
        params Assembly[] extraFunctionAssemblies)
    {
        var storage = await Azurite.GetAsync();
        var values = SampleSettings.Create(storage.ConnectionString, TestNames.Unique("hub"));
        settings?.Invoke(values);
        var functions = FunctionCatalog.Discover(extraFunctionAssemblies);

        var engine = await AzureStorageBackend.CreateAsync(values, backend);
        var sidecar = await Sidecar.StartAsync(engine, engine);
        var clientChannel = GrpcChannel.ForAddress(sidecar.Address);
        var clientHost = WorkerHost.Build(clientChannel, values, services, functions: null);
        await clientHost.StartAsync();

        var app = new PersistentTestApp(values, services, backend, functions, engine, sidecar, clientHost, clientChannel);
        await app.StartWorkerAsync();
        return app;
    }

    public T CreateFunction<T>() where T : class => ActivatorUtilities.CreateInstance<T>(Services);

    public Task<OrchestrationMetadata> WaitForCompletionAsync(string instanceId, TimeSpan? timeout = null) =>
        Client.WaitForCompletionAsync(instanceId, timeout ?? TimeSpan.FromSeconds(90));

    /// <summary>Starts a new worker process-equivalent: a fresh host with fresh singletons.</summary>
    public async Task StartWorkerAsync()
    {
        if (_worker is not null)
        {
            throw new InvalidOperationException("The worker is already running.");
        }

        var channel = GrpcChannel.ForAddress(_sidecar.Address);
        var host = WorkerHost.Build(channel, _settings, _services, _functions);
        await host.StartAsync();
        _worker = (host, channel);
    }

    /// <summary>
    /// Another app host on the same task hub, as a Functions app scaled out to a second instance: a backend, sidecar and
    /// worker of its own (fresh singletons; <paramref name="services"/> after the app's overrides), and a worker id of its
    /// own, as each instance of a scaled-out app has: with the app's (the engine's default, the machine name) its backend
    /// took the app's control-queue lease as its own and both ran the orchestrations. Both hosts take activities from the
    /// hub's work-item queue; orchestrations run where the control queue's lease is, one backend's at a time: the app's,
    /// until a renewal later than the lease (6 s here; a loaded machine) hands it to the added host. Dispose it first.
    /// </summary>
    public async Task<IAsyncDisposable> AddHostAsync(Action<IServiceCollection>? services = null)
    {
        var added = Interlocked.Increment(ref _addedHosts);
        var backend = await AzureStorageBackend.CreateAsync(_settings, b =>
        {
            _backendSettings?.Invoke(b);
            b.WorkerId = $"{b.WorkerId}-added-{added}";
        });
        var sidecar = await Sidecar.StartAsync(backend, backend);
        var channel = GrpcChannel.ForAddress(sidecar.Address);
        var host = WorkerHost.Build(channel, _settings, s => { _services?.Invoke(s); services?.Invoke(s); }, _functions);
        await host.StartAsync();
        return new OtherHost(backend, sidecar, channel, host);
    }

    /// <summary>Stops the worker gracefully; the backend keeps the orchestrations' state and queued messages.</summary>
    public async Task StopWorkerAsync()
    {
        if (_worker is { } worker)
        {
            _worker = null;
            await WorkerHost.StopAsync(worker.Host);
            await worker.Channel.ShutdownAsync();
            worker.Channel.Dispose();
        }
    }

    public async Task RestartWorkerAsync()
    {
        await StopWorkerAsync();
        await StartWorkerAsync();
    }

    /// <summary>Stops the worker, the sidecar and the backend, then starts new ones on the same task hub (and port).</summary>
    public async Task RestartAsync()
    {
        await StopWorkerAsync();
        var port = _sidecar.Port;
        await _sidecar.DisposeAsync();
        await _backend.StopAsync(isForced: true);

        _backend = await AzureStorageBackend.CreateAsync(_settings, _backendSettings);
        _sidecar = await Sidecar.StartAsync(_backend, _backend, port);
        await StartWorkerAsync();
    }

    /// <summary>
    /// The event types of the instance's history as the backend stored it (e.g. to count TaskFailed events: each is a
    /// failed activity execution, as Application Insights would count it). The in-memory engine keeps none to read.
    /// </summary>
    public async Task<IReadOnlyList<EventType>> GetHistoryAsync(string instanceId)
    {
        var state = Assert.Single(await _backend.GetOrchestrationStateAsync(instanceId, allExecutions: false));
        var json = await _backend.GetOrchestrationHistoryAsync(instanceId, state.OrchestrationInstance.ExecutionId);
        using var history = JsonDocument.Parse(json);
        return history.RootElement.EnumerateArray()
            .Select(e => e.GetProperty(nameof(HistoryEvent.EventType)) is { ValueKind: JsonValueKind.Number } number
                ? (EventType)number.GetInt32()
                : Enum.Parse<EventType>(e.GetProperty(nameof(HistoryEvent.EventType)).GetString()!))
            .ToList();
    }

    private sealed class OtherHost(AzureStorageOrchestrationService backend, Sidecar sidecar, GrpcChannel channel, IHost host) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await WorkerHost.StopAsync(host);
            await channel.ShutdownAsync();
            channel.Dispose();
            await sidecar.DisposeAsync();
            await backend.StopAsync(isForced: true); // the task hub stays: the app deletes it
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopWorkerAsync();
        await WorkerHost.StopAsync(_clientHost);
        await _clientChannel.ShutdownAsync();
        _clientChannel.Dispose();
        await _sidecar.DisposeAsync();
        await _backend.StopAsync(isForced: true);
        await _backend.DeleteAsync(); // the task hub's queues, tables and lease blobs
    }
}
