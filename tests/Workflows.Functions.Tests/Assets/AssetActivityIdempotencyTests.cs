using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets;
using Workflows.Assets.Imaging;
using Workflows.Assets.Storage;
using Workflows.Assets.Uploads;
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
        var render = new RenderRenditionsRequest(upload.AssetId, inspected.Chains);
        var rendered = await renderer.RenderRenditions(render, default);
        Assert.Equivalent(rendered, await renderer.RenderRenditions(render, default));
        Assert.Equal(6, (await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions)).Count);

        // mark ready: a replay finds it Ready
        await records.MarkAssetReady(new MarkAssetReadyRequest(upload.AssetId, rendered.Renditions), default);
        var ready = await assets.RecordAsync(upload.AssetId);
        await records.MarkAssetReady(new MarkAssetReadyRequest(upload.AssetId, rendered.Renditions), default);
        Assert.Equal(ready.ETag, (await assets.RecordAsync(upload.AssetId)).ETag);

        // compensations: the second run has nothing left to do, and says so
        Assert.Equal(6, await renderer.DeleteRenditions(new AssetCleanupRequest(upload.AssetId), default));
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

    [Fact]
    public async Task InspectUpload_DuplicateRunFinishesFirst_ReadyRecordNotTurnedBackToProcessing()
    {
        // Arrange: while this (late, duplicate) inspection reads the image, another run of the pipeline finishes it.
        var imaging = new InterleavingImaging();
        await using var assets = await AssetsTestApp.StartAsync(services: services =>
            services.AddSingleton<IAssetImaging>(sp => imaging.Wrap(ActivatorUtilities.CreateInstance<AssetImaging>(sp))));
        var blob = await assets.PutUploadAsync("photo.jpg", TestImages.Jpeg(400, 300));
        var starter = (AssetStarter)assets.App.Services.GetService(typeof(AssetStarter))!;
        var upload = starter.RequestFor(blob.BlobContainerName, blob.Name, (await blob.GetPropertiesAsync()).Value.ETag, null);
        var inspect = new InspectUploadRequest(upload.AssetId, upload.UploadContainer, upload.UploadBlobName, upload.UploadETag, upload.OriginalName);
        imaging.WhileInspecting = async () =>
        {
            var finished = AssetEntity.For(upload.AssetId);
            finished.Status = nameof(AssetStatus.Ready);
            await assets.Store.Table.UpsertEntityAsync(finished, Azure.Data.Tables.TableUpdateMode.Merge);
        };

        // Act
        var inspected = await assets.App.CreateFunction<InspectActivities>().InspectUpload(inspect, default);

        // Assert
        Assert.Equal(AssetStatus.Ready, inspected.Status);
        Assert.Equal(nameof(AssetStatus.Ready), (await assets.RecordAsync(upload.AssetId)).Status);
    }

    [Fact]
    public async Task InspectUpload_AssetDeletedWhileALateRunInspects_RecordNotBroughtBack()
    {
        // Arrange: a registered upload; while a late run of its inspection reads the image, its pipeline (another run)
        // has finished and the owner deletes the asset.
        var imaging = new InterleavingImaging();
        await using var assets = await AssetsTestApp.StartAsync(services: services =>
            services.AddSingleton<IAssetImaging>(sp => imaging.Wrap(ActivatorUtilities.CreateInstance<AssetImaging>(sp))));
        var blob = await assets.PutUploadAsync("photo.jpg", TestImages.Jpeg(400, 300));
        var starter = (AssetStarter)assets.App.Services.GetService(typeof(AssetStarter))!;
        var upload = starter.RequestFor(blob.BlobContainerName, blob.Name, (await blob.GetPropertiesAsync()).Value.ETag, null);
        await assets.Store.AddIfAbsentAsync(AssetEntity.ForUpload(upload.AssetId, upload.OriginalName, upload.UploadContainer, upload.UploadBlobName), default);
        var inspect = new InspectUploadRequest(upload.AssetId, upload.UploadContainer, upload.UploadBlobName, upload.UploadETag, upload.OriginalName);
        imaging.WhileInspecting = async () =>
            Assert.Equal(204, (await AssetDeleteTests.DeleteAsync(assets, upload.AssetId)).StatusCode);

        // Act
        var inspected = await assets.App.CreateFunction<InspectActivities>().InspectUpload(inspect, default);

        // Assert: not registered again as Processing (no pipeline would ever finish it).
        Assert.NotNull(inspected.Rejection);
        Assert.Null(await assets.Store.FindAsync(upload.AssetId, default));
        Assert.Empty(await assets.AllRecordsAsync());
    }

    /// <summary>The real imaging, running <see cref="WhileInspecting"/> between reading the image and returning.</summary>
    private sealed class InterleavingImaging
    {
        public Func<Task>? WhileInspecting { get; set; }

        public IAssetImaging Wrap(IAssetImaging inner) => new Wrapper(inner, this);

        private sealed class Wrapper(IAssetImaging inner, InterleavingImaging owner) : IAssetImaging
        {
            public RenditionProfile Profile => inner.Profile;

            public async Task<ImageInspection> InspectAsync(Stream content, CancellationToken ct)
            {
                var inspection = await inner.InspectAsync(content, ct);
                await (owner.WhileInspecting?.Invoke() ?? Task.CompletedTask);
                return inspection;
            }

            public Task<IReadOnlyList<RenditionInfo>> RenderRenditionsAsync(
                Stream original, IncrementalHash? originalHash, IReadOnlyList<RenditionChain> chains, Func<RenditionTarget, Stream, CancellationToken, Task> writeAsync, CancellationToken ct) =>
                inner.RenderRenditionsAsync(original, originalHash, chains, writeAsync, ct);
        }
    }
}
