using Workflows.Assets;
using Workflows.Assets.Uploads;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>Blob triggers fire at least once: the same version is processed once, a new version is a new asset.</summary>
public sealed class AssetDuplicateTests
{
    [Fact]
    public async Task AssetPipeline_SameBlobVersionTriggeredRepeatedly_ProcessedOnce()
    {
        // Arrange
        await using var assets = await AssetsTestApp.StartAsync();
        var blob = await assets.PutUploadAsync("photo.jpg", TestImages.Jpeg(400, 300));
        var assetId = await AssetsTestApp.AssetIdOfAsync(blob);

        // Act: two concurrent firings, then a late re-fire after the asset is Ready (the upload is gone by then).
        await Task.WhenAll(assets.FireTriggerAsync(blob), assets.FireTriggerAsync(blob));
        await assets.WaitAsync(assetId);
        await assets.FireTriggerAsync(blob);
        var starter = assets.App.Services.GetService(typeof(AssetStarter)) as AssetStarter;
        var replay = await starter!.StartAsync(
            assets.Client,
            new ProcessAssetRequest(assetId, blob.BlobContainerName, blob.Name, "0x1", "photo.jpg", starter.Retry),
            new UploadReceipt(1, DateTimeOffset.UtcNow, "image/jpeg"),
            default);

        // Assert
        Assert.False(replay.Started);
        Assert.Equal(nameof(AssetStatus.Ready), (await assets.RecordAsync(assetId)).Status);
        Assert.Equal(1, await assets.ReadyMessageCountAsync());
        Assert.Equal([assetId], await AssetsTestApp.BlobNamesAsync(assets.Store.Originals));
    }

    [Fact]
    public async Task AssetPipeline_NewUploadUnderSameName_IsANewAsset()
    {
        // Arrange
        await using var assets = await AssetsTestApp.StartAsync();
        var (first, _) = await assets.UploadAndProcessAsync("photo.jpg", TestImages.Jpeg(400, 300));

        // Act
        var (second, _) = await assets.UploadAndProcessAsync("photo.jpg", TestImages.Jpeg(300, 400));

        // Assert
        Assert.NotEqual(first, second);
        Assert.Equal((400, 300), ((await assets.RecordAsync(first)).Width, (await assets.RecordAsync(first)).Height));
        Assert.Equal((300, 400), ((await assets.RecordAsync(second)).Width, (await assets.RecordAsync(second)).Height));
        Assert.Equal(2, await assets.ReadyMessageCountAsync());
    }
}
