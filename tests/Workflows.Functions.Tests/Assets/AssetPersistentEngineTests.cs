using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets;
using Workflows.Assets.Storage;
using Workflows.Assets.Uploads;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>The pipeline on the Azure Storage backend (Azurite), the one the Functions host runs it on.</summary>
public sealed class AssetPersistentEngineTests
{
    [Fact]
    public async Task AssetPipeline_AzureStorageBackendWorkerRestartedThenStartedAgain_ProcessedOnce()
    {
        // Arrange
        await using var app = await PersistentTestApp.StartAsync(values => AssetsTestApp.Configure(values));
        var store = app.Services.GetRequiredService<AssetStore>();
        await store.EnsureCreatedAsync();
        var blob = store.Uploads.GetBlobClient("photo.jpg");
        await blob.UploadAsync(new BinaryData(TestImages.Jpeg(800, 600)));
        var assetId = await AssetsTestApp.AssetIdOfAsync(blob);

        // Act: the trigger fires and the worker restarts mid-flight; later the same version is started again, and the
        // pipeline itself runs again for it (what a backend that replaces finished instances would do).
        await app.CreateFunction<AssetUploadedTrigger>().AssetUploaded(blob, blob.Name, app.Client, default);
        await app.RestartWorkerAsync();
        var finished = await app.WaitForCompletionAsync(AssetIds.InstanceId(assetId));
        var ready = await store.FindAsync(assetId, default);
        var request = finished.ReadInputAs<ProcessAssetRequest>()!;
        var restart = await app.Services.GetRequiredService<AssetStarter>().StartAsync(app.Client, request, default);
        var rerunId = await app.Client.ScheduleNewOrchestrationInstanceAsync(nameof(AssetPipelineOrchestrator), request);
        var rerun = await app.WaitForCompletionAsync(rerunId);

        // Assert
        Assert.Equal(OrchestrationRuntimeStatus.Completed, finished.RuntimeStatus);
        Assert.False(restart.Started);
        Assert.Equal(new AssetOutcome(assetId, AssetStatus.Ready, null, []), rerun.ReadOutputAs<AssetOutcome>()! with { Renditions = [] });
        var record = await store.FindAsync(assetId, default);
        Assert.Equal((nameof(AssetStatus.Ready), ready!.ETag), (record!.Status, record.ETag));
        Assert.Equal(6, AssetStore.DeserializeRenditions(record.RenditionsJson).Count);
        Assert.Equal(1, (await store.ReadyQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }
}
