using DurableTask.AzureStorage;
using Microsoft.Extensions.Logging;

namespace Workflows.Hosting;

/// <summary>The Azure Storage engine (DurableTask.AzureStorage), as Durable Functions uses it by default.</summary>
public static class AzureStorageBackend
{
    /// <summary>The backend on the app's task hub: one partition, short polling and leases (a crashed app's partition is
    /// taken over in seconds), no app lease (one app per task hub here). The worker id stays the engine's default, the
    /// machine name, so a backend replacing a stopped one takes its partition lease back as its own; a backend running
    /// beside another on the hub, as a scaled-out instance, needs an id of its own (<paramref name="configure"/>), or it shares the lease.</summary>
    public static async Task<AzureStorageOrchestrationService> CreateAsync(
        IReadOnlyDictionary<string, string?> settings, Action<AzureStorageOrchestrationServiceSettings>? configure = null)
    {
        var options = new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = settings["TaskHubName"]!,
            // The host's own storage setting; in identity form (no connection string) `configure` supplies the clients.
            StorageAccountClientProvider = settings.TryGetValue("AzureWebJobsStorage", out var taskHubStorage) && taskHubStorage is not null
                ? new StorageAccountClientProvider(taskHubStorage)
                : null,
            PartitionCount = 1,
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(500),
            UseAppLease = false,
            LeaseInterval = TimeSpan.FromSeconds(6),
            LeaseRenewInterval = TimeSpan.FromSeconds(2),
            LeaseAcquireInterval = TimeSpan.FromSeconds(1),
            LoggerFactory = LoggerFactory.Create(FileLoggerProvider.AddIfRequested), // its own logs, e.g. a poison message
        };
        configure?.Invoke(options);
        var backend = new AzureStorageOrchestrationService(options);
        await backend.CreateIfNotExistsAsync();
        return backend;
    }
}
