using System.Collections.Concurrent;
using Azure.Storage.Blobs;
using Microsoft.Azure.WebJobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Workflows.Bench.Uploads;

/// <summary>
/// The polling blob trigger the Functions host runs (the WebJobs blob extension, <c>LogsAndContainerScan</c>), hosted
/// in-process by the WebJobs SDK over Azurite with one blob-triggered function on the app's uploads container. The
/// function records when each blob fired, then hands it to <see cref="OnBlob"/> (the app's own trigger body).
/// </summary>
internal sealed class WebJobsBlobTrigger : IAsyncDisposable
{
    private readonly IHost _host;

    private WebJobsBlobTrigger(IHost host) => _host = host;

    /// <summary>Blob name → when the trigger first fired for it.</summary>
    public static ConcurrentDictionary<string, DateTimeOffset> Fired { get; } = new();

    /// <summary>Also counts re-fires (the trigger is at-least-once).</summary>
    public static int Firings => _firings;

    public static Func<BlobClient, string, CancellationToken, Task> OnBlob { get; set; } = (_, _, _) => Task.CompletedTask;

    private static int _firings;

    public static async Task<WebJobsBlobTrigger> StartAsync(string connectionString, string container)
    {
        var host = new HostBuilder()
            .ConfigureAppConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = connectionString,
                ["UploadsContainer"] = container,
            }))
            .ConfigureWebJobs(b => b.AddAzureStorageBlobs())
            .ConfigureLogging(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning).AddFilter("Azure.Core", LogLevel.None))
            .ConfigureServices(s => s.AddSingleton<ITypeLocator>(new OnlyUploadFunction()))
            .Build();
        await host.StartAsync();
        return new WebJobsBlobTrigger(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    private sealed class OnlyUploadFunction : ITypeLocator
    {
        public IReadOnlyList<Type> GetTypes() => [typeof(UploadFunction)];
    }

    /// <summary>Discovered by the WebJobs SDK (public static method with a trigger attribute).</summary>
    public static class UploadFunction
    {
        public static async Task Run([BlobTrigger("%UploadsContainer%/{name}")] BlobClient blob, string name, CancellationToken ct)
        {
            Interlocked.Increment(ref _firings);
            Fired.TryAdd(name, DateTimeOffset.UtcNow);
            await OnBlob(blob, name, ct);
        }
    }
}
