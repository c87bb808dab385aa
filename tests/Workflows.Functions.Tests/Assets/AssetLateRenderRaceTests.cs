using Azure.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Workflows.Assets;
using Workflows.Assets.Imaging;
using Workflows.Assets.Storage;
using Workflows.Assets.Uploads;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>
/// A late render whose writes land in the middle of a final cleanup, after the renditions were deleted and before the
/// asset is finished with: the cleanup closes the asset first, so the render removes its own writes.
/// </summary>
public sealed class AssetLateRenderRaceTests
{
    private readonly CancellationToken _ct = CancellationToken.None;

    [Fact]
    public async Task RenderRenditions_WritesWhileTheAssetIsBeingDeleted_LeavesNothing()
    {
        // Arrange: a Ready asset, and a render of it that has read the original.
        var pausing = new PausingTransport();
        await using var assets = await AssetsTestApp.StartAsync(services: pausing.InjectIntoAppStorage);
        var (assetId, _) = await assets.UploadAndProcessAsync("photo.jpg", TestImages.Jpeg(400, 300));
        var generation = (await assets.RecordAsync(assetId)).Generation ?? 0; // the run the asset's renditions belong to
        var (gate, late) = StartGatedRender(assets, assetId, assets.App.Services.GetRequiredService<IAssetImaging>().Profile.Chains, generation);
        await gate.Reached.WithinAsync(AssetsTestApp.Timeout);

        // The delete has removed the renditions and is about to remove the original: the render writes and ends now.
        var originals = $"/{assets.Store.Originals.Name}/";
        pausing.PauseOnce(r => r.Method == RequestMethod.Delete && r.Uri.Path.Contains(originals, StringComparison.Ordinal), () =>
        {
            gate.Open();
            return late;
        });

        // Act
        var deleted = await AssetDeleteTests.DeleteAsync(assets, assetId);

        // Assert
        Assert.Equal(StatusCodes.Status204NoContent, deleted.StatusCode);
        Assert.True(late.IsCompleted);
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions));
        Assert.Null(await assets.Store.FindAsync(assetId, _ct));
    }

    [Fact]
    public async Task RenderRenditions_WritesWhileTheStuckAssetSweepSettlesTheAsset_LeavesNoRendition()
    {
        // Arrange: an asset Processing (inspected) whose pipeline was terminated over 30 minutes ago, and a render of it,
        // queued behind a backlog, that has read the original.
        var pausing = new PausingTransport();
        var clock = new SettableClock();
        await using var assets = await AssetsTestApp.StartAsync(services: s =>
        {
            pausing.InjectIntoAppStorage(s);
            s.AddSingleton<TimeProvider>(clock);
        });
        var blob = await assets.PutUploadAsync("photo.jpg", TestImages.Jpeg(400, 300));
        var upload = assets.App.Services.GetRequiredService<AssetStarter>().RequestFor(
            blob.BlobContainerName, blob.Name, (await blob.GetPropertiesAsync()).Value.ETag, null);
        var inspected = await assets.App.CreateFunction<InspectActivities>().InspectUpload(
            new InspectUploadRequest(upload.AssetId, upload.UploadContainer, upload.UploadBlobName, upload.UploadETag, upload.OriginalName), _ct);
        var instanceId = AssetIds.InstanceId(upload.AssetId);
        await assets.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(HarnessWaitOrchestrator), "pipeline", new StartOrchestrationOptions(instanceId));
        using (var timeout = new Deadline(AssetsTestApp.Timeout))
        {
            await assets.Client.WaitForInstanceStartAsync(instanceId, timeout.Token);
        }

        await assets.Client.TerminateInstanceAsync(instanceId, "stuck");
        var ended = await assets.App.WaitForCompletionAsync(instanceId, AssetsTestApp.Timeout);
        clock.Now = ended.LastUpdatedAt + StuckAssetSweep.SettleAfter + TimeSpan.FromSeconds(1);
        var (gate, late) = StartGatedRender(assets, upload.AssetId, inspected.Chains);
        await gate.Reached.WithinAsync(AssetsTestApp.Timeout);

        // The sweep has deleted the renditions and is about to quarantine the original: the render writes and ends now.
        var quarantine = $"/{assets.Store.Quarantine.Name}/";
        pausing.PauseOnce(r => r.Uri.Path.Contains(quarantine, StringComparison.Ordinal), () =>
        {
            gate.Open();
            return late;
        });

        // Act
        var (settled, failures) = await assets.App.CreateFunction<StuckAssetSweep>().SettleAsync(assets.Client, _ct);

        // Assert
        Assert.Equal((1, 0), (settled, failures.Count));
        Assert.True(late.IsCompleted);
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions));
        Assert.Equal(nameof(AssetStatus.Failed), (await assets.RecordAsync(upload.AssetId)).Status);
        Assert.True((await assets.Store.Quarantined(upload.AssetId).ExistsAsync()).Value);
    }

    [Fact]
    public async Task RenderRenditions_FindingANewerRunAfterItsWrites_RemovesOnlyTheVersionsItWrote()
    {
        // Arrange: a Ready asset, and a late render of its pipeline (old profile) that has read the original.
        var pausing = new PausingTransport();
        await using var assets = await AssetsTestApp.StartAsync(services: pausing.InjectIntoAppStorage);
        var (assetId, _) = await assets.UploadAndProcessAsync("photo.jpg", TestImages.Jpeg(400, 300));
        var pipeline = (await assets.RecordAsync(assetId)).Generation ?? 0;
        var imaging = assets.App.Services.GetRequiredService<IAssetImaging>();
        var (gate, late) = StartGatedRender(assets, assetId, imaging.Profile.Chains, pipeline);
        await gate.Reached.WithinAsync(AssetsTestApp.Timeout);

        // Its writes done, and before it checks the record, a newer run (a re-render with a changed profile) renders:
        // it overwrites jpeg-1600, a name both profiles have, and adds jpeg-100.
        var newer = pipeline + 1;
        RenderRenditionsResult? rendered = null;
        var recordRead = assets.Store.Table.Name + "(";
        pausing.PauseOnce(r => r.Method == RequestMethod.Get && r.Uri.Path.Contains(recordRead, StringComparison.Ordinal), async () =>
        {
            var renderer = new RenditionActivities(assets.Store, imaging, assets.App.Services.GetRequiredService<ILogger<RenditionActivities>>());
            rendered = await renderer.RenderRenditions(
                new RenderRenditionsRequest(assetId, [TestChains.Parse(RenditionFormat.Jpeg, 40, "1600,100")], newer), _ct);
        });

        // Act
        gate.Open();
        var outcome = await late;
        await assets.App.CreateFunction<ReprocessActivities>().RecordRerender(
            new RecordRerenderRequest(assetId, rendered!.Renditions, null, newer), _ct);

        // Assert: the late render gave up, and removed its own versions only: the newer run's two renditions stand.
        Assert.Empty(outcome.Renditions);
        Assert.NotNull(outcome.Rejection);
        Assert.Null(rendered.Rejection);
        var listed = AssetStore.DeserializeRenditions((await assets.RecordAsync(assetId)).RenditionsJson);
        Assert.Equal(["jpeg-100", "jpeg-1600"], listed.Select(r => r.Name).Order());
        Assert.Equal(listed.Select(r => r.BlobName).Order(), (await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions)).Order());
        foreach (var rendition in listed)
        {
            Assert.Equal(rendition.Bytes, (await assets.DownloadRenditionAsync(rendition.BlobName)).LongLength);
        }
    }

    [Fact]
    public async Task RenderRenditions_WhenItsOwnRunWritesARenditionBetweenItsReadAndItsWrite_WritesItAgain()
    {
        // Arrange: a Ready asset; its pipeline's render is delivered once more (the same run). Between its read of
        // jpeg-1600 and its write, that blob is written again by the same run: a duplicate execution, or its own write
        // retried by the storage client after a lost response.
        var pausing = new PausingTransport();
        await using var assets = await AssetsTestApp.StartAsync(services: pausing.InjectIntoAppStorage);
        var (assetId, _) = await assets.UploadAndProcessAsync("photo.jpg", TestImages.Jpeg(400, 300));
        var record = await assets.RecordAsync(assetId);
        var generation = record.Generation ?? 0;
        var jpeg1600 = AssetStore.DeserializeRenditions(record.RenditionsJson).Single(r => r.Name == "jpeg-1600").BlobName;
        var blob = assets.Store.Renditions.GetBlobClient(jpeg1600);
        var bytes = await assets.DownloadRenditionAsync(jpeg1600);
        pausing.PauseOnce(r => r.Method == RequestMethod.Put && r.Uri.Path.EndsWith(jpeg1600, StringComparison.Ordinal), async () =>
            await blob.UploadAsync(new BinaryData(bytes), new Azure.Storage.Blobs.Models.BlobUploadOptions
            {
                Metadata = new Dictionary<string, string> { ["generation"] = generation.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            }, _ct));
        var renderer = new RenditionActivities(
            assets.Store, assets.App.Services.GetRequiredService<IAssetImaging>(), assets.App.Services.GetRequiredService<ILogger<RenditionActivities>>());

        // Act
        var outcome = await renderer.RenderRenditions(
            new RenderRenditionsRequest(assetId, assets.App.Services.GetRequiredService<IAssetImaging>().Profile.Chains, generation), _ct);

        // Assert: the same run's write is its own: rendered, nothing refused, every listed rendition still there.
        Assert.Null(outcome.Rejection);
        Assert.Equal(
            AssetStore.DeserializeRenditions(record.RenditionsJson).Select(r => r.BlobName).Order(),
            (await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions)).Order());
    }

    private (GatedImaging Gate, Task<RenderRenditionsResult> Render) StartGatedRender(
        AssetsTestApp assets, string assetId, IReadOnlyList<Workflows.Assets.Imaging.RenditionChain> chains, long generation = 0)
    {
        var services = assets.App.Services;
        var gate = new GatedImaging(services.GetRequiredService<IAssetImaging>());
        var renderer = new RenditionActivities(assets.Store, gate, services.GetRequiredService<ILogger<RenditionActivities>>());
        return (gate, Task.Run(() => renderer.RenderRenditions(new RenderRenditionsRequest(assetId, chains, generation), _ct)));
    }
}
