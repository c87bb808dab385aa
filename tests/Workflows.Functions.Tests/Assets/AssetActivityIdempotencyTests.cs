using Workflows.Assets;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>Activities run at least once: each one, run twice, leaves the same state as run once.</summary>
public sealed class AssetActivityIdempotencyTests
{
    [Fact]
    public async Task PipelineActivities_EachRunTwice_SameResultAndState()
    {
        // Arrange
        await using var assets = await AssetsTestApp.StartAsync();
        var blob = await assets.PutUploadAsync("photo.jpg", TestImages.Jpeg(400, 300));
        var starter = (AssetStarter)assets.App.Services.GetService(typeof(AssetStarter))!;
        var upload = starter.RequestFor(blob.BlobContainerName, blob.Name, (await blob.GetPropertiesAsync()).Value.ETag, null);
        var inspect = new InspectUploadRequest(upload.AssetId, upload.UploadContainer, upload.UploadBlobName, upload.UploadETag, upload.OriginalName);
        var inspector = assets.App.CreateFunction<InspectActivities>();
        var renderer = assets.App.CreateFunction<RenditionActivities>();
        var records = assets.App.CreateFunction<AssetRecordActivities>();

        // Act + Assert: inspect (the second run finds the upload gone and the original in place)
        var inspected = await inspector.InspectUpload(inspect, default);
        Assert.Equivalent(inspected, await inspector.InspectUpload(inspect, default));
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Uploads));

        // render: deterministic blob names, overwritten
        var chain = inspected.Chains[0];
        var rendered = await renderer.RenderChain(new RenderChainRequest(upload.AssetId, chain), default);
        Assert.Equivalent(rendered, await renderer.RenderChain(new RenderChainRequest(upload.AssetId, chain), default));
        Assert.Equal(3, (await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions)).Count);

        // mark ready: a replay finds it Ready
        await records.MarkAssetReady(new MarkAssetReadyRequest(upload.AssetId, rendered), default);
        var ready = await assets.RecordAsync(upload.AssetId);
        await records.MarkAssetReady(new MarkAssetReadyRequest(upload.AssetId, rendered), default);
        Assert.Equal(ready.ETag, (await assets.RecordAsync(upload.AssetId)).ETag);

        // compensations: the second run has nothing left to do, and says so
        Assert.Equal(3, await renderer.DeleteRenditions(new AssetCleanupRequest(upload.AssetId), default));
        Assert.Equal(0, await renderer.DeleteRenditions(new AssetCleanupRequest(upload.AssetId), default));
        var quarantine = new QuarantineRequest(upload.AssetId, upload.UploadContainer, upload.UploadBlobName, upload.UploadETag);
        Assert.True(await records.QuarantineOriginal(quarantine, default));
        Assert.False(await records.QuarantineOriginal(quarantine, default));
        Assert.Equal([upload.AssetId], await AssetsTestApp.BlobNamesAsync(assets.Store.Quarantine));

        // mark failed: same final record
        var failed = new MarkAssetFailedRequest(upload.AssetId, "photo.jpg", "Because.");
        await records.MarkAssetFailed(failed, default);
        await records.MarkAssetFailed(failed, default);
        var record = await assets.RecordAsync(upload.AssetId);
        Assert.Equal((nameof(AssetStatus.Failed), "Because.", null), (record.Status, record.FailureReason, record.RenditionsJson));
    }
}
