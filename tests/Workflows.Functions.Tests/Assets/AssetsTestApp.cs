using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workflows.Assets;
using Workflows.Assets.Storage;
using Workflows.Assets.Uploads;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>
/// The app on the in-memory engine with containers, table and queue of its own, short retries, and helpers that
/// play the Functions host: upload a blob, fire the blob trigger, wait for the pipeline, read what it left behind.
/// </summary>
internal sealed class AssetsTestApp : IAsyncDisposable
{
    /// <summary>What a pipeline may take on a quiet machine (a <see cref="Deadline"/> stretches it under load).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private AssetsTestApp(TestApp app)
    {
        App = app;
        Store = app.Services.GetRequiredService<AssetStore>();
        Options = app.Services.GetRequiredService<IOptions<AssetOptions>>().Value;
    }

    public TestApp App { get; }

    public AssetStore Store { get; }

    public AssetOptions Options { get; }

    public DurableTaskClient Client => App.Client;

    public static async Task<AssetsTestApp> StartAsync(
        Action<IDictionary<string, string?>>? settings = null, Action<IServiceCollection>? services = null)
    {
        // The test assembly too: its HarnessWaitOrchestrator stands in for a pipeline that is still running.
        var app = await TestApp.StartAsync(values => Configure(values, settings), services, typeof(AssetsTestApp).Assembly);
        var assets = new AssetsTestApp(app);
        await assets.Store.EnsureCreatedAsync();
        return assets;
    }

    /// <summary>Containers, table and queue of the test's own, short retries, streamed renditions.</summary>
    public static void Configure(IDictionary<string, string?> values, Action<IDictionary<string, string?>>? settings = null)
    {
        values["Assets:UploadsContainer"] = TestNames.Unique("uploads");
        values["Assets:HttpUploadsContainer"] = TestNames.Unique("httpuploads");
        values["Assets:OriginalsContainer"] = TestNames.Unique("originals");
        values["Assets:RenditionsContainer"] = TestNames.Unique("renditions");
        values["Assets:QuarantineContainer"] = TestNames.Unique("quarantine");
        values["Assets:AssetsTable"] = TestNames.Unique("assets");
        values["Assets:ReadyQueue"] = TestNames.Unique("ready");
        values["Assets:ActivityMaxAttempts"] = "2";
        values["Assets:ActivityFirstRetryInterval"] = "00:00:00.010";
        values["Assets:RedirectRenditionsWithSas"] = "false";
        settings?.Invoke(values);
    }

    /// <summary>Writes a blob straight into the uploads container, as Storage Explorer or azcopy would.</summary>
    public async Task<BlobClient> PutUploadAsync(string name, byte[] content)
    {
        var blob = Store.Uploads.GetBlobClient(name);
        await blob.UploadAsync(new BinaryData(content), overwrite: true);
        return blob;
    }

    /// <summary>Fires the blob trigger the way the host does (a BlobClient for the blob, plus its name).</summary>
    public Task FireTriggerAsync(BlobClient blob) =>
        App.CreateFunction<AssetUploadedTrigger>().AssetUploaded(blob, blob.Name, Client, CancellationToken.None);

    /// <summary>The asset id every starter derives for the blob's current version.</summary>
    public static async Task<string> AssetIdOfAsync(BlobClient blob)
    {
        var properties = await blob.GetPropertiesAsync();
        return AssetIds.FromUpload(blob.BlobContainerName, blob.Name, properties.Value.ETag);
    }

    /// <summary>Uploads, fires the trigger and waits for the pipeline; returns the asset id and the finished instance.</summary>
    public async Task<(string AssetId, OrchestrationMetadata Instance)> UploadAndProcessAsync(string name, byte[] content)
    {
        var blob = await PutUploadAsync(name, content);
        var assetId = await AssetIdOfAsync(blob);
        await FireTriggerAsync(blob);
        return (assetId, await WaitAsync(assetId));
    }

    public Task<OrchestrationMetadata> WaitAsync(string assetId) =>
        App.WaitForCompletionAsync(AssetIds.InstanceId(assetId), Timeout);

    public async Task<AssetEntity> RecordAsync(string assetId) =>
        await Store.FindAsync(assetId, CancellationToken.None) ?? throw new InvalidOperationException($"No record for {assetId}.");

    public async Task<IReadOnlyList<AssetEntity>> AllRecordsAsync()
    {
        List<AssetEntity> records = [];
        await foreach (var record in Store.Table.QueryAsync<AssetEntity>())
        {
            records.Add(record);
        }

        return records;
    }

    public static async Task<IReadOnlyList<string>> BlobNamesAsync(BlobContainerClient container)
    {
        List<string> names = [];
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, null, CancellationToken.None))
        {
            names.Add(blob.Name);
        }

        return names;
    }

    public async Task<byte[]> DownloadRenditionAsync(string blobName) =>
        (await Store.Renditions.GetBlobClient(blobName).DownloadContentAsync()).Value.Content.ToArray();

    public async Task<int> ReadyMessageCountAsync()
    {
        var properties = await Store.ReadyQueue.GetPropertiesAsync();
        return properties.Value.ApproximateMessagesCount;
    }

    /// <summary>Deletes the containers, table and queue <see cref="Configure"/> named for one test.</summary>
    public static Task DeleteStorageAsync(AssetStore store) => Task.WhenAll(
        store.Uploads.DeleteIfExistsAsync(),
        store.HttpUploads.DeleteIfExistsAsync(),
        store.Originals.DeleteIfExistsAsync(),
        store.Renditions.DeleteIfExistsAsync(),
        store.Quarantine.DeleteIfExistsAsync(),
        store.Table.DeleteAsync(),
        store.Sweeps.DeleteAsync(),
        store.ReadyQueue.DeleteIfExistsAsync());

    public async ValueTask DisposeAsync()
    {
        try
        {
            await DeleteStorageAsync(Store);
        }
        finally
        {
            await App.DisposeAsync();
        }
    }
}
