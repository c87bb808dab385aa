using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Workflows.Hosting;

namespace Workflows.Bench.Orchestrations;

/// <summary>
/// The app (every [Function] orchestrator and activity, its composition root) plus the bench's bare orchestrations on
/// one engine: the in-memory engine or DurableTask.AzureStorage over Azurite, behind the gRPC sidecar, hosted the way
/// the tests host them (tests/Workflows.Hosting).
/// </summary>
internal sealed class BenchEngine : IAsyncDisposable
{
    private readonly Sidecar _sidecar;
    private readonly GrpcChannel _channel;
    private readonly IHost _host;
    private readonly AzureStorageOrchestrationService? _azure;

    private BenchEngine(string name, Sidecar sidecar, GrpcChannel channel, IHost host, AzureStorageOrchestrationService? azure)
    {
        Name = name;
        _sidecar = sidecar;
        _channel = channel;
        _host = host;
        _azure = azure;
    }

    public string Name { get; }

    public DurableTaskClient Client => _host.Services.GetRequiredService<DurableTaskClient>();

    public IServiceProvider Services => _host.Services;

    /// <summary>
    /// Starts the engine and the app on it; on the Azure Storage engine, <paramref name="engineRequests"/> (when given)
    /// watches the engine's own storage clients (its queues, History and Instances tables, leases).
    /// </summary>
    public static async Task<BenchEngine> StartAsync(
        string engine, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection> services, HttpPipelinePolicy? engineRequests = null)
    {
        var functions = FunctionCatalog.Discover(typeof(BareOrchestrations).Assembly);
        AzureStorageOrchestrationService? azure = null;
        IOrchestrationService service;
        IOrchestrationServiceClient client;
        if (engine == "azure")
        {
            // The Functions host's defaults on this machine: 10 work items per core of each kind.
            azure = await AzureStorageBackend.CreateAsync(settings, s =>
            {
                s.MaxConcurrentTaskActivityWorkItems = 10 * Environment.ProcessorCount;
                s.MaxConcurrentTaskOrchestrationWorkItems = 10 * Environment.ProcessorCount;
                if (engineRequests is not null && settings["AzureWebJobsStorage"] is { } storage)
                {
                    var (blobs, queues, tables) = (new BlobClientOptions(), new QueueClientOptions(), new TableClientOptions());
                    blobs.AddPolicy(engineRequests, HttpPipelinePosition.PerRetry);
                    queues.AddPolicy(engineRequests, HttpPipelinePosition.PerRetry);
                    tables.AddPolicy(engineRequests, HttpPipelinePosition.PerRetry);
                    s.StorageAccountClientProvider = new StorageAccountClientProvider(
                        StorageServiceClientProvider.ForBlob(storage, blobs),
                        StorageServiceClientProvider.ForQueue(storage, queues),
                        StorageServiceClientProvider.ForTable(storage, tables));
                }
            });
            (service, client) = (azure, azure);
        }
        else
        {
            var memory = new InMemoryOrchestrationService(NullLoggerFactory.Instance);
            (service, client) = (memory, memory);
        }

        var sidecar = await Sidecar.StartAsync(service, client);
        var channel = GrpcChannel.ForAddress(sidecar.Address);
        var host = WorkerHost.Build(channel, settings, services, functions);
        await host.StartAsync();
        return new BenchEngine(engine == "azure" ? "Azure Storage (Azurite)" : "in-memory", sidecar, channel, host, azure);
    }

    /// <summary>The app's settings with a task hub, containers, table and queue of their own (a run leaves data behind).</summary>
    public static Dictionary<string, string?> IsolatedSettings(string connectionString, string hubPrefix)
    {
        var tag = $"{hubPrefix}{Random.Shared.Next(100_000, 999_999)}";
        var settings = SampleSettings.Create(connectionString, tag);
        foreach (var (key, name) in new[] { ("Uploads", "up"), ("HttpUploads", "hup"), ("Originals", "orig"), ("Renditions", "rend"), ("Quarantine", "quar") })
        {
            settings[$"Assets:{key}Container"] = $"{tag}{name}";
        }

        settings["Assets:AssetsTable"] = $"{tag}assets";
        settings["Assets:ReadyQueue"] = $"{tag}ready";
        return settings;
    }

    /// <summary>The history of the instance's latest execution as the engine stores it; null on the in-memory engine.</summary>
    public async Task<HistoryFacts?> HistoryAsync(string instanceId)
    {
        if (_azure is null)
        {
            return null; // the in-memory engine does not implement reading a history
        }

        var state = (await _azure.GetOrchestrationStateAsync(instanceId, allExecutions: false)).Single();
        return HistoryFacts.Parse(await _azure.GetOrchestrationHistoryAsync(instanceId, state.OrchestrationInstance.ExecutionId));
    }

    public async ValueTask DisposeAsync()
    {
        await WorkerHost.StopAsync(_host);
        await _channel.ShutdownAsync();
        _channel.Dispose();
        await _sidecar.DisposeAsync();
        if (_azure is not null)
        {
            await _azure.StopAsync(isForced: true);
            await _azure.DeleteAsync();
        }
    }
}
