using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Workflows.Assets;
using Workflows.Assets.Http;
using Workflows.Assets.Storage;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary><c>DELETE /api/assets/{id}</c>: idempotent, refused only while the asset's pipeline is still running.</summary>
public sealed class AssetDeleteTests
{
    [Fact]
    public async Task DeleteAsset_ReadyAsset_RemovesOriginalRenditionsAndRecordIdempotently()
    {
        // Arrange
        await using var assets = await AssetsTestApp.StartAsync();
        var (assetId, _) = await assets.UploadAndProcessAsync("photo.jpg", TestImages.Jpeg(600, 400));

        // Act
        var deleted = await DeleteAsync(assets, assetId);
        var repeated = await DeleteAsync(assets, assetId);

        // Assert
        Assert.Equal(StatusCodes.Status204NoContent, deleted.StatusCode);
        Assert.Equal(StatusCodes.Status204NoContent, repeated.StatusCode);
        Assert.Equal(StatusCodes.Status404NotFound, (await AssetHttpTests.GetAssetAsync(assets, assetId)).StatusCode);
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Originals));
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions));
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Quarantine));
    }

    [Fact]
    public async Task DeleteAsset_StillProcessing_409AndKept()
    {
        // Arrange: a Processing record whose pipeline instance is still running.
        await using var assets = await AssetsTestApp.StartAsync();
        var assetId = AssetIds.FromUpload("uploads", "busy.jpg", "0x1");
        await assets.Store.AddIfAbsentAsync(AssetEntity.For(assetId), default);
        await StartPipelineStandInAsync(assets, assetId);

        // Act
        var response = await DeleteAsync(assets, assetId);

        // Assert
        Assert.Equal(StatusCodes.Status409Conflict, response.StatusCode);
        Assert.Equal(nameof(AssetStatus.Processing), (await assets.RecordAsync(assetId)).Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DeleteAsset_RecordStuckInProcessingAfterPipelineEnded_DeletesEverything(bool historyPurged)
    {
        // Arrange: MarkAssetFailed gave up (e.g. a table outage), so the record stayed Processing with some blobs left
        // behind while the instance ended (here: terminated), and its history may have been purged since.
        await using var assets = await AssetsTestApp.StartAsync();
        var assetId = AssetIds.FromUpload("uploads", "stuck.jpg", "0x1");
        await assets.Store.AddIfAbsentAsync(AssetEntity.For(assetId), default);
        await assets.Store.Original(assetId).UploadAsync(new BinaryData([1]));
        await assets.Store.Quarantined(assetId).UploadAsync(new BinaryData([1]));
        await assets.Store.Renditions.GetBlobClient($"{assetId}/jpeg-200.jpg").UploadAsync(new BinaryData([1]));
        var instanceId = await StartPipelineStandInAsync(assets, assetId);
        await assets.Client.TerminateInstanceAsync(instanceId, "stuck");
        await assets.App.WaitForCompletionAsync(instanceId, AssetsTestApp.Timeout);
        if (historyPurged)
        {
            await assets.Client.PurgeInstanceAsync(instanceId);
        }

        // Act
        var response = await DeleteAsync(assets, assetId);

        // Assert
        Assert.Equal(StatusCodes.Status204NoContent, response.StatusCode);
        Assert.Null(await assets.Store.FindAsync(assetId, default));
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Originals));
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions));
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Quarantine));
    }

    internal static async Task<TestHttpResponse> DeleteAsync(AssetsTestApp assets, string id)
    {
        var request = TestHttp.Request("DELETE", $"/api/assets/{id}");
        return await (await assets.App.CreateFunction<DeleteAssetHttp>().DeleteAsset(request, id, assets.Client, default)).ExecuteAsync(request);
    }

    /// <summary>Runs a stand-in under the asset's pipeline instance id that waits (for a "go" event) until ended.</summary>
    private static async Task<string> StartPipelineStandInAsync(AssetsTestApp assets, string assetId)
    {
        var instanceId = AssetIds.InstanceId(assetId);
        await assets.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(HarnessWaitOrchestrator), "pipeline", new StartOrchestrationOptions(instanceId));
        using var timeout = new Deadline(AssetsTestApp.Timeout);
        await assets.Client.WaitForInstanceStartAsync(instanceId, timeout.Token);
        return instanceId;
    }
}
