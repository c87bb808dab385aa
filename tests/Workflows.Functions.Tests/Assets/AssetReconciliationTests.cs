using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Microsoft.Azure.Functions.Worker;
using Workflows.Assets;
using Workflows.Assets.Uploads;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>No upload is lost: the sweep catches what the trigger missed, the poison handler what it gave up on.</summary>
public sealed class AssetReconciliationTests
{
    [Fact]
    public async Task SweepUploads_BlobTheTriggerMissed_ProcessedExactlyOnceEvenIfTheTriggerFiresToo()
    {
        // Arrange: written straight into uploads while no trigger runs.
        await using var assets = await AssetsTestApp.StartAsync(s => s["Assets:SweepMinAge"] = "00:00:00");
        var blob = await assets.PutUploadAsync("missed.jpg", TestImages.Jpeg(500, 400));
        var assetId = await AssetsTestApp.AssetIdOfAsync(blob);
        var sweep = assets.App.CreateFunction<UploadSweepTimer>();

        // Act: the sweep and a late trigger race; then the next sweep runs.
        await Task.WhenAll(
            sweep.SweepUploads(new TimerInfo(), assets.Client, default),
            assets.FireTriggerAsync(blob));
        await assets.WaitAsync(assetId);
        await sweep.SweepUploads(new TimerInfo(), assets.Client, default);

        // Assert
        Assert.Equal(nameof(AssetStatus.Ready), (await assets.RecordAsync(assetId)).Status);
        Assert.Equal(1, await assets.ReadyMessageCountAsync());
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Uploads));
        Assert.Equal([assetId], await AssetsTestApp.BlobNamesAsync(assets.Store.Originals));
    }

    [Fact]
    public async Task SweepUploads_HttpUploadWhoseStartWasLost_StartedFromTheHttpUploadsContainer()
    {
        // Arrange: what an HTTP upload leaves behind when the worker dies between storing the body and starting it.
        await using var assets = await AssetsTestApp.StartAsync(s => s["Assets:SweepMinAge"] = "00:00:00");
        var blob = assets.Store.HttpUploads.GetBlobClient("http-0123456789abcdef");
        await blob.UploadAsync(new BinaryData(TestImages.Jpeg(120, 80)), new BlobUploadOptions
        {
            Metadata = new Dictionary<string, string> { [AssetStarter.OriginalNameMetadataKey] = "beach.jpg" },
        });
        var assetId = await AssetsTestApp.AssetIdOfAsync(blob);

        // Act
        await assets.App.CreateFunction<UploadSweepTimer>().SweepUploads(new TimerInfo(), assets.Client, default);
        var started = await assets.Client.GetInstanceAsync(AssetIds.InstanceId(assetId));

        // Assert
        Assert.NotNull(started);
        await assets.WaitAsync(assetId);
        var record = await assets.RecordAsync(assetId);
        Assert.Equal((nameof(AssetStatus.Ready), "beach.jpg"), (record.Status, record.OriginalName));
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.HttpUploads));
    }

    [Fact]
    public async Task SweepUploads_UploadYoungerThanMinimumAge_LeftForTheTrigger()
    {
        // Arrange
        await using var assets = await AssetsTestApp.StartAsync(s => s["Assets:SweepMinAge"] = "01:00:00");
        var blob = await assets.PutUploadAsync("fresh.jpg", TestImages.Jpeg(50, 40));
        var assetId = await AssetsTestApp.AssetIdOfAsync(blob);

        // Act
        await assets.App.CreateFunction<UploadSweepTimer>().SweepUploads(new TimerInfo(), assets.Client, default);

        // Assert
        Assert.Null(await assets.Client.GetInstanceAsync(AssetIds.InstanceId(assetId)));
        Assert.Equal(["fresh.jpg"], await AssetsTestApp.BlobNamesAsync(assets.Store.Uploads));
    }

    [Fact]
    public async Task UploadPoisoned_TriggerGaveUpOnBlob_FailedAssetWithUploadInQuarantine()
    {
        // Arrange: the message the host queues after poisonBlobThreshold failed attempts.
        await using var assets = await AssetsTestApp.StartAsync(s => s["Assets:SweepMinAge"] = "00:00:00");
        var content = TestImages.Jpeg(50, 40);
        var blob = await assets.PutUploadAsync("poisoned.jpg", content);
        var assetId = await AssetsTestApp.AssetIdOfAsync(blob);
        var etag = (await blob.GetPropertiesAsync()).Value.ETag.ToString("H");
        var message = JsonSerializer.Serialize(new
        {
            Type = "BlobTrigger",
            FunctionId = "Host.Functions.AssetUploaded",
            BlobType = "BlockBlob",
            ContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            ETag = etag,
        });

        // Act: the poison handler runs; a later sweep must not resurrect it.
        await assets.App.CreateFunction<UploadPoisonHandler>().UploadPoisoned(message, assets.Client, default);
        await assets.App.CreateFunction<UploadSweepTimer>().SweepUploads(new TimerInfo(), assets.Client, default);

        // Assert
        var record = await assets.RecordAsync(assetId);
        Assert.Equal((nameof(AssetStatus.Failed), "poisoned.jpg"), (record.Status, record.OriginalName));
        Assert.Contains("upload it again", record.FailureReason, StringComparison.Ordinal);
        Assert.Equal([assetId], await AssetsTestApp.BlobNamesAsync(assets.Store.Quarantine));
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Uploads));
        Assert.Null(await assets.Client.GetInstanceAsync(AssetIds.InstanceId(assetId)));
    }

    [Fact]
    public async Task UploadPoisoned_BlobReplacedByNewerUpload_FailedWithoutClaimingQuarantineAndNewerUploadUntouched()
    {
        // Arrange: the poisoned version was overwritten by a newer upload under the same name before the message ran.
        await using var assets = await AssetsTestApp.StartAsync();
        var blob = await assets.PutUploadAsync("poisoned.jpg", TestImages.Jpeg(50, 40));
        var assetId = await AssetsTestApp.AssetIdOfAsync(blob);
        var message = JsonSerializer.Serialize(new
        {
            FunctionId = "Host.Functions.AssetUploaded",
            ContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            ETag = (await blob.GetPropertiesAsync()).Value.ETag.ToString("H"),
        });
        var newer = TestImages.Jpeg(60, 40);
        await assets.PutUploadAsync("poisoned.jpg", newer);

        // Act
        await assets.App.CreateFunction<UploadPoisonHandler>().UploadPoisoned(message, assets.Client, default);

        // Assert
        var record = await assets.RecordAsync(assetId);
        Assert.Equal(nameof(AssetStatus.Failed), record.Status);
        Assert.DoesNotContain("quarantine", record.FailureReason, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Quarantine));
        Assert.Equal(newer, (await blob.DownloadContentAsync()).Value.Content.ToArray());
    }
}
