using DurableTask.Core.History;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets;
using Workflows.Assets.Http;
using Workflows.Assets.Imaging;
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
        var restart = await app.Services.GetRequiredService<AssetStarter>().StartAsync(
            app.Client, request, new UploadReceipt(1, DateTimeOffset.UtcNow, "image/jpeg"), default);
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

    [Fact]
    public async Task AssetPipeline_RejectedUploadsOnAzureStorageBackend_FailedWithReasonWithoutAFailedActivityExecution()
    {
        // Arrange: one upload that is no image (rejected at inspection) and one photo whose WebP branch the decoder
        // rejects after the JPEG branch rendered (rejected in the fan-out).
        await using var app = await PersistentTestApp.StartAsync(
            values => AssetsTestApp.Configure(values),
            services => services.AddSingleton<IAssetImaging>(sp => new WebpCrashingImaging(
                ActivatorUtilities.CreateInstance<AssetImaging>(sp), () => new ImageRejectedException("The WebP branch found the image corrupt."))));
        var store = app.Services.GetRequiredService<AssetStore>();
        await store.EnsureCreatedAsync();
        var ids = new List<string>();
        foreach (var (name, content) in new[] { ("notes.jpg", TestImages.Text()), ("photo.jpg", TestImages.Jpeg(400, 300)) })
        {
            var blob = store.Uploads.GetBlobClient(name);
            await blob.UploadAsync(new BinaryData(content));
            ids.Add(await AssetsTestApp.AssetIdOfAsync(blob));
            await app.CreateFunction<AssetUploadedTrigger>().AssetUploaded(blob, blob.Name, app.Client, default);
        }

        // Act
        var finished = new List<OrchestrationMetadata>();
        foreach (var id in ids)
        {
            finished.Add(await app.WaitForCompletionAsync(AssetIds.InstanceId(id)));
        }

        // Assert: each instance completed normally with a Failed outcome, cleaned up, and no activity execution failed.
        Assert.All(finished, f => Assert.Equal(OrchestrationRuntimeStatus.Completed, f.RuntimeStatus));
        var reasons = finished.Select(f => f.ReadOutputAs<AssetOutcome>()!.FailureReason).ToList();
        Assert.Contains("not a supported image", reasons[0], StringComparison.Ordinal);
        Assert.Equal("The WebP branch found the image corrupt.", reasons[1]);
        foreach (var id in ids)
        {
            var history = await app.GetHistoryAsync(AssetIds.InstanceId(id));
            Assert.Contains(EventType.TaskCompleted, history);
            Assert.DoesNotContain(EventType.TaskFailed, history);
            Assert.Equal(nameof(AssetStatus.Failed), (await store.FindAsync(id, default))!.Status);
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), await AssetsTestApp.BlobNamesAsync(store.Quarantine));
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(store.Renditions));
    }

    [Fact]
    public async Task BulkReprocess_AzureStorageBackendPagesOfTwoSubOrchestrations_EveryAssetReRendered()
    {
        // Arrange: five Ready assets from an older profile, re-rendered two at a time (three pages, continuing as new).
        // The app's only sub-orchestrations: on this backend they once never started (see StorableEventsService).
        const int assetCount = 5;
        await using var app = await PersistentTestApp.StartAsync(values => AssetsTestApp.Configure(values, s =>
            (s["Assets:ReprocessPageSize"], s["Imaging:JpegSizes"], s["Imaging:WebpSizes"]) = ("2", "32", "")));
        var store = app.Services.GetRequiredService<AssetStore>();
        await store.EnsureCreatedAsync();
        var ids = Enumerable.Range(0, assetCount).Select(i => AssetIds.FromUpload("seed", $"asset-{i}.png", "0x1")).ToList();
        foreach (var id in ids)
        {
            await BulkReprocessTests.SeedReadyAssetAsync(store, id, TestImages.Png(48, 32), default);
        }

        // Act
        var request = TestHttp.Request("POST", "/api/assets/reprocess");
        var accepted = await (await app.CreateFunction<ReprocessAssetsHttp>().ReprocessAssets(request, app.Client, default)).ExecuteAsync(request);
        var finished = await app.WaitForCompletionAsync(ReprocessAssetsHttp.InstanceId);

        // Assert
        Assert.Equal(StatusCodes.Status202Accepted, accepted.StatusCode);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, finished.RuntimeStatus);
        var progress = finished.ReadOutputAs<BulkReprocessProgress>()!;
        Assert.Equal((assetCount, assetCount, 0, 2), (progress.Processed, progress.Succeeded, progress.Failed, progress.LargestBatch));
        foreach (var id in ids)
        {
            var record = (await store.FindAsync(id, default))!;
            Assert.Equal((nameof(AssetStatus.Ready), null), (record.Status, record.ReprocessError));
            Assert.Equal(["jpeg-32"], AssetStore.DeserializeRenditions(record.RenditionsJson).Select(r => r.Name));
        }
    }
}
