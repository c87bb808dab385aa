using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets;
using Workflows.Assets.Http;
using Workflows.Assets.Storage;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>Bulk reprocess: every Ready asset re-rendered, in pages of bounded sub-orchestration fan-outs.</summary>
public sealed class BulkReprocessTests
{
    private const int AssetCount = 200;
    private const int PageSize = 50;

    [Fact]
    public async Task ReprocessAssets_FewHundredAssets_AllReRenderedInBoundedPagesWithPerAssetResults()
    {
        // Arrange: Ready assets (small originals, an outdated rendition list) and one whose original is corrupt; the
        // profile has changed to a single JPEG width (which also keeps this test light).
        await using var assets = await AssetsTestApp.StartAsync(s =>
        {
            s["Assets:ReprocessPageSize"] = PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
            s["Imaging:JpegSizes"] = "32";
            s["Imaging:WebpSizes"] = "";
        });
        var ids = Enumerable.Range(0, AssetCount).Select(i => AssetIds.FromUpload("seed", $"asset-{i}.png", "0x1")).ToList();
        var original = TestImages.Png(48, 32);
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, ct) =>
            await SeedReadyAssetAsync(assets.Store, id, id == ids[0] ? TestImages.Text() : original, ct));
        var http = assets.App.CreateFunction<ReprocessAssetsHttp>();
        var request = TestHttp.Request("POST", "/api/assets/reprocess");

        // Act
        var accepted = await (await http.ReprocessAssets(request, assets.Client, default)).ExecuteAsync(request);
        var instanceId = accepted.Json<ReprocessAccepted>()!.InstanceId;
        var finished = await assets.App.WaitForCompletionAsync(instanceId, TimeSpan.FromMinutes(3));
        var statusRequest = TestHttp.Request("GET", $"/api/assets/reprocess/{instanceId}");
        var status = await (await http.GetReprocessStatus(statusRequest, instanceId, assets.Client, default)).ExecuteAsync(statusRequest);

        // Assert
        Assert.Equal(StatusCodes.Status202Accepted, accepted.StatusCode);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, finished.RuntimeStatus);
        var progress = finished.ReadOutputAs<BulkReprocessProgress>()!;
        Assert.Equal((AssetCount, AssetCount - 1, 1), (progress.Processed, progress.Succeeded, progress.Failed));
        Assert.InRange(progress.LargestBatch, 1, PageSize); // sub-orchestrations per execution of the parent
        Assert.InRange(progress.Pages, (AssetCount + PageSize - 1) / PageSize, (AssetCount / PageSize) + 2);
        Assert.Equal(progress, status.Json<ReprocessStatus>()!.Progress);

        var failed = await assets.RecordAsync(ids[0]);
        Assert.Equal(nameof(AssetStatus.Ready), failed.Status);
        Assert.Contains("not a supported image", failed.ReprocessError, StringComparison.Ordinal);
        var sample = await assets.RecordAsync(ids[^1]);
        Assert.Null(sample.ReprocessError);
        Assert.NotNull(sample.ReprocessedAt);
        Assert.Equal(["jpeg-32"], AssetStore.DeserializeRenditions(sample.RenditionsJson).Select(r => r.Name));
        var blobs = await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions);
        Assert.Equal(AssetCount - 1, blobs.Count(b => b.EndsWith("/jpeg-32.jpg", StringComparison.Ordinal)));
        Assert.Equal([$"{ids[0]}/jpeg-400.jpg"], blobs.Where(b => b.EndsWith("/jpeg-400.jpg", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AssetRerender_OneBranchFails_KeepsPreviousRenditionsAndLeavesNoUnlistedBlobs()
    {
        // Arrange: a Ready asset from an older profile; with the new one the JPEG branch succeeds, the WebP one crashes.
        await using var assets = await AssetsTestApp.StartAsync(
            s => (s["Imaging:JpegSizes"], s["Imaging:WebpSizes"]) = ("32", "32"),
            services => services.AddSingleton<IAssetImaging>(sp =>
                new WebpCrashingImaging(ActivatorUtilities.CreateInstance<AssetImaging>(sp))));
        var id = AssetIds.FromUpload("seed", "asset.png", "0x1");
        await SeedReadyAssetAsync(assets.Store, id, TestImages.Png(48, 32), default);
        var profile = assets.App.Services.GetRequiredService<IAssetImaging>().Profile;
        var instanceId = await assets.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(AssetRerenderOrchestrator), new RerenderAssetRequest(id, profile.Chains, new AssetRetrySettings(1, TimeSpan.FromMilliseconds(10))));

        // Act
        var finished = await assets.App.WaitForCompletionAsync(instanceId, AssetsTestApp.Timeout);

        // Assert
        Assert.False(finished.ReadOutputAs<RerenderOutcome>()!.Succeeded);
        var record = await assets.RecordAsync(id);
        Assert.Equal(nameof(AssetStatus.Ready), record.Status);
        Assert.NotNull(record.ReprocessError);
        Assert.Equal([$"{id}/jpeg-400.jpg"], AssetStore.DeserializeRenditions(record.RenditionsJson).Select(r => r.BlobName));
        Assert.Equal([$"{id}/jpeg-400.jpg"], await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions));
    }

    /// <summary>An asset as an older profile left it: one rendition (<c>jpeg-400</c>) the current profile no longer has.</summary>
    internal static async Task SeedReadyAssetAsync(AssetStore store, string id, byte[] original, CancellationToken ct)
    {
        await store.Original(id).UploadAsync(new BinaryData(original), ct);
        var stale = new Rendition("jpeg-400", 48, 32, 3, "image/jpeg", $"{id}/jpeg-400.jpg");
        await store.Renditions.GetBlobClient(stale.BlobName).UploadAsync(new BinaryData([1, 2, 3]), ct);
        var entity = AssetEntity.For(id);
        entity.Status = nameof(AssetStatus.Ready);
        entity.OriginalName = "seed.png";
        entity.RenditionsJson = AssetStore.SerializeRenditions([stale]);
        await store.Table.AddEntityAsync(entity, ct);
    }
}
