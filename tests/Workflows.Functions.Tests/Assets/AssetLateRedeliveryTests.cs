using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Workflows.Assets;
using Workflows.Assets.Imaging;
using Workflows.Assets.Storage;
using Workflows.Assets.Uploads;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>
/// Activities run at least once: a render or record write can be redelivered (its lease expired while it ran) and run
/// after the pipeline failed and cleaned up, or after the asset was deleted. A late step must leave nothing behind.
/// </summary>
public sealed class AssetLateRedeliveryTests : IAsyncLifetime
{
    private readonly CancellationToken _ct = CancellationToken.None;
    private AssetsTestApp _assets = null!;

    public async Task InitializeAsync() => _assets = await AssetsTestApp.StartAsync();

    public async Task DisposeAsync() => await _assets.DisposeAsync();

    [Fact]
    public async Task RenderRenditions_WritesAfterThePipelineFailed_LeavesNoRendition()
    {
        // Arrange: a render has read the original; meanwhile the pipeline gave up and cleaned up.
        var (upload, render) = await InspectAsync();
        var (gate, late) = StartGatedRender(render);
        await gate.Reached.WithinAsync(AssetsTestApp.Timeout);
        await CleanUpAsync(upload);
        await MarkFailedAsync(upload);

        // Act: its writes land now; and one more execution is delivered later still.
        gate.Open();
        await late;
        var later = await Record.ExceptionAsync(() => Renderer().RenderRenditions(render, _ct));

        // Assert: no rendition of the Failed asset; the later one could not read the quarantined original.
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(_assets.Store.Renditions));
        Assert.Equal(404, Assert.IsType<RequestFailedException>(later).Status);
        Assert.Equal(nameof(AssetStatus.Failed), (await _assets.RecordAsync(upload.AssetId)).Status);
        Assert.Equal([upload.AssetId], await AssetsTestApp.BlobNamesAsync(_assets.Store.Quarantine));
    }

    [Fact]
    public async Task RenderRenditions_WritesBetweenTheCleanupAndMarkFailed_LeavesNoRendition()
    {
        // Arrange: the cleanup deleted the renditions while a render that had read the original was still running.
        var (upload, render) = await InspectAsync();
        var (gate, late) = StartGatedRender(render);
        await gate.Reached.WithinAsync(AssetsTestApp.Timeout);
        await Renderer().DeleteRenditions(new AssetCleanupRequest(upload.AssetId), _ct);

        // Act: its writes land, and it finishes, before the pipeline has quarantined the original and marked it Failed.
        gate.Open();
        await late;
        await _assets.App.CreateFunction<AssetRecordActivities>().QuarantineOriginal(Quarantine(upload), _ct);
        await MarkFailedAsync(upload);

        // Assert
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(_assets.Store.Renditions));
        Assert.Equal(nameof(AssetStatus.Failed), (await _assets.RecordAsync(upload.AssetId)).Status);
    }

    [Fact]
    public async Task RenderRenditions_StoppedBetweenItsWritesAfterTheCleanup_LeavesNoRendition()
    {
        // Arrange: the pipeline's cleanup has closed the asset; a late render of it is stopped (the host shuts down and
        // cancels it) right after its first write.
        var (upload, render) = await InspectAsync();
        await Renderer().DeleteRenditions(new AssetCleanupRequest(upload.AssetId), _ct);
        using var shutdown = new CancellationTokenSource();
        var stopping = new StoppingImaging(Imaging(), shutdown);
        var renderer = new RenditionActivities(_assets.Store, stopping, _assets.App.Services.GetRequiredService<ILogger<RenditionActivities>>());

        // Act
        var stopped = await Record.ExceptionAsync(() => renderer.RenderRenditions(render, shutdown.Token));

        // Assert: it did write, was stopped, and still removed what it wrote.
        Assert.NotEqual(0, stopping.Written);
        Assert.IsAssignableFrom<OperationCanceledException>(stopped);
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(_assets.Store.Renditions));
    }

    [Fact]
    public async Task InspectUpload_DeliveredAgainAfterTheCleanupClosedTheAsset_LeavesItClosed()
    {
        // Arrange: the cleanup has closed the asset; its original is still in place (not quarantined yet).
        var (upload, _) = await InspectAsync();
        await Renderer().DeleteRenditions(new AssetCleanupRequest(upload.AssetId), _ct);

        // Act: the inspection delivered once more registers the asset again.
        var again = await _assets.App.CreateFunction<InspectActivities>().InspectUpload(
            new InspectUploadRequest(upload.AssetId, upload.UploadContainer, upload.UploadBlobName, upload.UploadETag, upload.OriginalName), _ct);

        // Assert: still closed, so a render after it removes its own writes.
        Assert.Equal(AssetStatus.Processing, again.Status);
        Assert.True((await _assets.RecordAsync(upload.AssetId)).RenditionsClosed);
        Assert.False(await _assets.Store.TakesRenditionsAsync(upload.AssetId, _ct));
    }

    [Fact]
    public async Task RenderRenditions_WritesAfterTheAssetWasDeleted_LeavesNothing()
    {
        // Arrange: a Ready asset's re-render has read the original; meanwhile the asset is deleted.
        var (assetId, _) = await _assets.UploadAndProcessAsync("photo.jpg", TestImages.Jpeg(400, 300));
        var generation = (await _assets.RecordAsync(assetId)).Generation ?? 0; // the run the asset's renditions belong to
        var (gate, late) = StartGatedRender(new RenderRenditionsRequest(assetId, Imaging().Profile.Chains, generation));
        await gate.Reached.WithinAsync(AssetsTestApp.Timeout);
        Assert.Equal(StatusCodes.Status204NoContent, (await AssetDeleteTests.DeleteAsync(_assets, assetId)).StatusCode);

        // Act
        gate.Open();
        await late;

        // Assert
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(_assets.Store.Renditions));
        Assert.Null(await _assets.Store.FindAsync(assetId, _ct));
    }

    [Fact]
    public async Task RenderRenditions_DuplicateDeliveredAfterReady_KeepsTheAssetsRenditions()
    {
        // Arrange
        var (assetId, _) = await _assets.UploadAndProcessAsync("photo.jpg", TestImages.Jpeg(400, 300));
        var listed = AssetStore.DeserializeRenditions((await _assets.RecordAsync(assetId)).RenditionsJson).Select(r => r.BlobName);

        // Act: the pipeline's render, delivered once more after the asset went Ready.
        var generation = (await _assets.RecordAsync(assetId)).Generation ?? 0;
        await Renderer().RenderRenditions(new RenderRenditionsRequest(assetId, Imaging().Profile.Chains, generation), _ct);

        // Assert: same bytes under the same names, still listed and served.
        Assert.Equal(listed.Order(), (await AssetsTestApp.BlobNamesAsync(_assets.Store.Renditions)).Order());
        Assert.Equal(nameof(AssetStatus.Ready), (await _assets.RecordAsync(assetId)).Status);
    }

    [Fact]
    public async Task MarkAssetReady_ArrivesAfterTheAssetFailed_LeavesItFailed()
    {
        // Arrange: rendered, then the pipeline failed anyway (say MarkAssetReady's own attempts all timed out).
        var (upload, render) = await InspectAsync();
        var rendered = await Renderer().RenderRenditions(render, _ct);
        await CleanUpAsync(upload);
        await MarkFailedAsync(upload);

        // Act
        var late = await Record.ExceptionAsync(() => Records().MarkAssetReady(new MarkAssetReadyRequest(upload.AssetId, rendered.Renditions), _ct));

        // Assert: refused; the record is still Failed with its reason and no renditions.
        Assert.IsType<InvalidOperationException>(late);
        var record = await _assets.RecordAsync(upload.AssetId);
        Assert.Equal((nameof(AssetStatus.Failed), "Gave up.", null), (record.Status, record.FailureReason, record.RenditionsJson));
    }

    [Fact]
    public async Task MarkAssetReady_ArrivesAfterTheCleanupStarted_DoesNotMarkItReady()
    {
        // Arrange
        var (upload, render) = await InspectAsync();
        var rendered = await Renderer().RenderRenditions(render, _ct);
        await Renderer().DeleteRenditions(new AssetCleanupRequest(upload.AssetId), _ct);

        // Act
        var late = await Record.ExceptionAsync(() => Records().MarkAssetReady(new MarkAssetReadyRequest(upload.AssetId, rendered.Renditions), _ct));

        // Assert: never Ready with its renditions gone; the pipeline's failure path finishes it as Failed.
        Assert.IsType<InvalidOperationException>(late);
        Assert.Equal(nameof(AssetStatus.Processing), (await _assets.RecordAsync(upload.AssetId)).Status);
        await MarkFailedAsync(upload);
        Assert.Equal(nameof(AssetStatus.Failed), (await _assets.RecordAsync(upload.AssetId)).Status);
    }

    [Fact]
    public async Task MarkAssetFailed_ArrivesAfterTheAssetWasDeleted_DoesNotBringItBack()
    {
        // Arrange: a rejected upload, Failed and then deleted by its owner.
        var (assetId, _) = await _assets.UploadAndProcessAsync("notes.jpg", TestImages.Text());
        Assert.Equal(nameof(AssetStatus.Failed), (await _assets.RecordAsync(assetId)).Status);
        Assert.Equal(StatusCodes.Status204NoContent, (await AssetDeleteTests.DeleteAsync(_assets, assetId)).StatusCode);

        // Act
        await Records().MarkAssetFailed(new MarkAssetFailedRequest(assetId, "notes.jpg", "Late."), _ct);

        // Assert
        Assert.Null(await _assets.Store.FindAsync(assetId, _ct));
        Assert.Empty(await _assets.AllRecordsAsync());
    }

    [Fact]
    public async Task RecordRerender_ArrivesWhileTheAssetIsBeingDeleted_ListsAndLeavesNoRendition()
    {
        // Arrange: a Ready asset whose delete closed it and then failed half-way (to be repeated by its owner).
        var (assetId, _) = await _assets.UploadAndProcessAsync("photo.jpg", TestImages.Jpeg(400, 300));
        var before = await _assets.RecordAsync(assetId);
        await _assets.Store.CloseRenditionsAsync(assetId, _ct);

        // Act: a re-render's result arrives.
        var rendered = AssetStore.DeserializeRenditions(before.RenditionsJson);
        await _assets.App.CreateFunction<ReprocessActivities>().RecordRerender(new RecordRerenderRequest(assetId, rendered, null), _ct);

        // Assert: nothing recorded on the closing asset, and no rendition left for the delete to miss.
        Assert.Null((await _assets.RecordAsync(assetId)).ReprocessedAt);
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(_assets.Store.Renditions));
    }

    /// <summary>Step 1 run for a fresh upload: the asset is Processing, its original in place.</summary>
    private async Task<(ProcessAssetRequest Upload, RenderRenditionsRequest Render)> InspectAsync()
    {
        var blob = await _assets.PutUploadAsync("photo.jpg", TestImages.Jpeg(400, 300));
        var starter = _assets.App.Services.GetRequiredService<AssetStarter>();
        var upload = starter.RequestFor(blob.BlobContainerName, blob.Name, (await blob.GetPropertiesAsync()).Value.ETag, null);
        var inspected = await _assets.App.CreateFunction<InspectActivities>().InspectUpload(
            new InspectUploadRequest(upload.AssetId, upload.UploadContainer, upload.UploadBlobName, upload.UploadETag, upload.OriginalName), _ct);
        Assert.Equal(AssetStatus.Processing, inspected.Status);
        return (upload, new RenderRenditionsRequest(upload.AssetId, inspected.Chains));
    }

    private (GatedImaging Gate, Task<RenderRenditionsResult> Render) StartGatedRender(RenderRenditionsRequest request)
    {
        var gate = new GatedImaging(Imaging());
        var renderer = new RenditionActivities(_assets.Store, gate, _assets.App.Services.GetRequiredService<ILogger<RenditionActivities>>());
        return (gate, Task.Run(() => renderer.RenderRenditions(request, _ct)));
    }

    /// <summary>The pipeline's compensations, in its order: the renditions, then the original.</summary>
    private async Task CleanUpAsync(ProcessAssetRequest upload)
    {
        await Renderer().DeleteRenditions(new AssetCleanupRequest(upload.AssetId), _ct);
        await Records().QuarantineOriginal(Quarantine(upload), _ct);
    }

    private Task MarkFailedAsync(ProcessAssetRequest upload) =>
        Records().MarkAssetFailed(new MarkAssetFailedRequest(upload.AssetId, upload.OriginalName, "Gave up."), _ct);

    private static QuarantineRequest Quarantine(ProcessAssetRequest upload) =>
        new(upload.AssetId, upload.UploadContainer, upload.UploadBlobName, upload.UploadETag);

    /// <summary>The real imaging, except that the host cancels the render once its first rendition is written.</summary>
    private sealed class StoppingImaging(IAssetImaging inner, CancellationTokenSource shutdown) : ImagingDecorator(inner)
    {
        public int Written { get; private set; }

        protected override async Task WriteAsync(
            Func<RenditionTarget, Stream, CancellationToken, Task> write, RenditionTarget target, Stream content, CancellationToken ct)
        {
            await write(target, content, ct);
            Written++;
            await shutdown.CancelAsync();
        }
    }

    private IAssetImaging Imaging() => _assets.App.Services.GetRequiredService<IAssetImaging>();

    private RenditionActivities Renderer() => _assets.App.CreateFunction<RenditionActivities>();

    private AssetRecordActivities Records() => _assets.App.CreateFunction<AssetRecordActivities>();
}
