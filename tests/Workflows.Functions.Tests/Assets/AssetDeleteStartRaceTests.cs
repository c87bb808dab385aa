using Azure.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Workflows.Assets;
using Workflows.Assets.Storage;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>
/// A <c>DELETE</c> that lands after a starter wrote the asset's record and before it started the pipeline: the answer
/// and what is left agree.
/// </summary>
public sealed class AssetDeleteStartRaceTests
{
    [Fact]
    public async Task DeleteAsset_BetweenTheRecordAndThePipelineStart_IsRefusedAndTheAssetIsProcessed()
    {
        // Arrange: the trigger's starter has written the record and is about to start the pipeline.
        var pausing = new PausingTransport();
        await using var assets = await AssetsTestApp.StartAsync(services: pausing.InjectIntoAppStorage);
        var blob = await assets.PutUploadAsync("photo.jpg", TestImages.Jpeg(400, 300));
        var assetId = await AssetsTestApp.AssetIdOfAsync(blob);
        var recordRead = assets.Store.Table.Name + "(";
        var reads = 0;
        TestHttpResponse? deleted = null;
        pausing.PauseOnce(
            r => r.Method == RequestMethod.Get && r.Uri.Path.Contains(recordRead, StringComparison.Ordinal) && ++reads == 2,
            async () => deleted = await AssetDeleteTests.DeleteAsync(assets, assetId));

        // Act: the DELETE runs exactly there; then the pipeline runs.
        await assets.FireTriggerAsync(blob);
        var finished = await assets.WaitAsync(assetId);

        // Assert: refused, and nothing lost: the asset is processed as if the DELETE had not come.
        Assert.Equal(StatusCodes.Status409Conflict, deleted?.StatusCode);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, finished.RuntimeStatus);
        var record = await assets.RecordAsync(assetId);
        Assert.Equal(nameof(AssetStatus.Ready), record.Status);
        Assert.True((await assets.Store.Original(assetId).ExistsAsync()).Value);
        Assert.Equal(
            AssetStore.DeserializeRenditions(record.RenditionsJson).Select(r => r.BlobName).Order(),
            (await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions)).Order());

        // Once processed it can be deleted, and then nothing is left.
        Assert.Equal(StatusCodes.Status204NoContent, (await AssetDeleteTests.DeleteAsync(assets, assetId)).StatusCode);
        Assert.Null(await assets.Store.FindAsync(assetId, default));
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Originals));
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions));
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Quarantine));
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Uploads));
    }
}
