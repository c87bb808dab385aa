using System.Security.Cryptography;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets;
using Workflows.Assets.Http;
using Workflows.Assets.Imaging;
using Workflows.Assets.Storage;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>Announcing a Ready asset happens after the point of no return: its failure never undoes the asset.</summary>
public sealed class AssetAnnouncementTests
{
    [Fact]
    public async Task AssetPipeline_ReadyQueueUnavailable_InstanceFailsButAssetStaysReadyWithRenditions()
    {
        // Arrange: the ready queue disappears while the renditions are being rendered, so the announcement fails.
        await using var assets = await AssetsTestApp.StartAsync(services: services =>
            services.AddSingleton<IAssetImaging>(sp => new QueueDroppingImaging(
                ActivatorUtilities.CreateInstance<AssetImaging>(sp), sp.GetRequiredService<AssetStore>())));
        var photo = TestImages.Jpeg(1000, 800);

        // Act
        var (assetId, instance) = await assets.UploadAndProcessAsync("photo.jpg", photo);

        // Assert
        Assert.Equal(OrchestrationRuntimeStatus.Failed, instance.RuntimeStatus);
        var record = await assets.RecordAsync(assetId);
        Assert.Equal(nameof(AssetStatus.Ready), record.Status);
        var renditions = AssetStore.DeserializeRenditions(record.RenditionsJson);
        Assert.Equal(6, renditions.Count);
        Assert.Equal(
            renditions.Select(r => r.BlobName).Order(StringComparer.Ordinal),
            (await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions)).Order(StringComparer.Ordinal));
        Assert.Equal([assetId], await AssetsTestApp.BlobNamesAsync(assets.Store.Originals));
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Quarantine));
    }

    [Fact]
    public async Task PublishAssetReady_AssetDeletedAfterMarkedReady_NothingAnnouncedAndNoFailure()
    {
        // Arrange: a Ready asset, deleted through the API before its announcement runs.
        await using var assets = await AssetsTestApp.StartAsync();
        var (assetId, _) = await assets.UploadAndProcessAsync("photo.jpg", TestImages.Jpeg(300, 200));
        await assets.Store.ReadyQueue.ClearMessagesAsync();
        var delete = TestHttp.Request("DELETE", $"/api/assets/{assetId}");
        await assets.App.CreateFunction<DeleteAssetHttp>().DeleteAsset(delete, assetId, assets.Client, default);

        // Act
        await assets.App.CreateFunction<AssetRecordActivities>().PublishAssetReady(new PublishAssetReadyRequest(assetId), default);

        // Assert
        Assert.Equal(0, await assets.ReadyMessageCountAsync());
        Assert.Null(await assets.Store.FindAsync(assetId, default));
    }

    [Fact]
    public async Task PublishAssetReady_AssetBeingDeleted_NothingAnnounced()
    {
        // Arrange: a Ready asset whose delete has closed it and removed its renditions, and has not removed the record yet.
        await using var assets = await AssetsTestApp.StartAsync();
        var (assetId, _) = await assets.UploadAndProcessAsync("photo.jpg", TestImages.Jpeg(300, 200));
        await assets.Store.ReadyQueue.ClearMessagesAsync();
        await assets.Store.CloseRenditionsAsync(assetId, default);
        await assets.Store.DeleteRenditionsAsync(assetId, default);

        // Act
        await assets.App.CreateFunction<AssetRecordActivities>().PublishAssetReady(new PublishAssetReadyRequest(assetId), default);

        // Assert: no announcement of renditions that are gone.
        Assert.Equal(0, await assets.ReadyMessageCountAsync());
    }

    /// <summary>The real imaging; the ready queue is deleted once the renditions are rendered.</summary>
    private sealed class QueueDroppingImaging(IAssetImaging inner, AssetStore store) : IAssetImaging
    {
        public RenditionProfile Profile => inner.Profile;

        public Task<ImageInspection> InspectAsync(Stream content, CancellationToken ct) => inner.InspectAsync(content, ct);

        public async Task<IReadOnlyList<RenditionInfo>> RenderRenditionsAsync(
            Stream original, IncrementalHash? originalHash, IReadOnlyList<RenditionChain> chains, Func<RenditionTarget, Stream, CancellationToken, Task> writeAsync, CancellationToken ct)
        {
            var rendered = await inner.RenderRenditionsAsync(original, originalHash, chains, writeAsync, ct);
            await store.ReadyQueue.DeleteIfExistsAsync(ct);
            return rendered;
        }
    }
}
