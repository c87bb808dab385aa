using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Workflows.Assets;
using Workflows.Assets.Imaging;
using Workflows.Assets.Storage;
using Workflows.Assets.Uploads;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>
/// A render or a re-render's record write of an older run (the pipeline, or an earlier re-render) delivered after a
/// newer re-render changed the asset's renditions: the newer run's renditions and record stay as they are.
/// </summary>
public sealed class AssetLateGenerationTests : IAsyncLifetime
{
    /// <summary>The changed profile: one JPEG chain, a size the old profile also names (<c>jpeg-1600</c>) and a new one.</summary>
    private static readonly IReadOnlyList<RenditionChain> NewProfile = [TestChains.Parse(RenditionFormat.Jpeg, 40, "1600,100")];

    private readonly CancellationToken _ct = CancellationToken.None;
    private AssetsTestApp _assets = null!;

    public async Task InitializeAsync() => _assets = await AssetsTestApp.StartAsync();

    public async Task DisposeAsync() => await _assets.DisposeAsync();

    [Fact]
    public async Task RenderRenditions_OfTheOldProfileWritingAfterAReRender_LeavesTheNewRenditions()
    {
        // Arrange: a Ready asset; a late execution of its pipeline's render (old profile) has read the original.
        var (assetId, _) = await _assets.UploadAndProcessAsync("photo.jpg", TestImages.Jpeg(400, 300));
        var pipeline = (await _assets.RecordAsync(assetId)).Generation ?? 0;
        var (gate, late) = StartGatedRender(new RenderRenditionsRequest(assetId, Imaging().Profile.Chains, pipeline));
        await gate.Reached.WithinAsync(AssetsTestApp.Timeout);

        // Meanwhile the profile changed and the asset was re-rendered with it.
        await RerenderAsync(assetId, "newer");

        // Act: the late render's writes land now.
        gate.Open();
        var outcome = await late;

        // Assert: exactly the new profile's renditions, each the blob the record lists.
        await AssertRenditionsAreTheListedOnesAsync(assetId, ["jpeg-100", "jpeg-1600"]);
        Assert.Empty(outcome.Renditions);
        Assert.NotNull(outcome.Rejection);
    }

    [Fact]
    public async Task RecordRerender_OfAnOlderRunArrivingAfterANewerOne_KeepsTheNewerRecord()
    {
        // Arrange: a Ready asset re-rendered with the new profile; an older re-render (old profile) rendered before it.
        var (assetId, _) = await _assets.UploadAndProcessAsync("photo.jpg", TestImages.Jpeg(400, 300));
        var ready = await _assets.RecordAsync(assetId);
        var older = AssetStore.DeserializeRenditions(ready.RenditionsJson);
        var olderRun = ready.Generation!.Value + 1; // started after the pipeline, before the newer re-render
        await RerenderAsync(assetId, "newer");
        var newer = await _assets.RecordAsync(assetId);

        // Act: the older run's result is recorded late.
        await _assets.App.CreateFunction<ReprocessActivities>().RecordRerender(
            new RecordRerenderRequest(assetId, older, null, olderRun), _ct);

        // Assert: the newer run's record and renditions stand.
        var record = await _assets.RecordAsync(assetId);
        Assert.Equal((newer.RenditionsJson, newer.ReprocessedAt), (record.RenditionsJson, record.ReprocessedAt));
        await AssertRenditionsAreTheListedOnesAsync(assetId, ["jpeg-100", "jpeg-1600"]);
    }

    private async Task RerenderAsync(string assetId, string run)
    {
        var retry = _assets.App.Services.GetRequiredService<AssetStarter>().Retry;
        var instanceId = $"rerender-{run}-{assetId}";
        await _assets.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(AssetRerenderOrchestrator), new RerenderAssetRequest(assetId, NewProfile, retry), new StartOrchestrationOptions(instanceId));
        var done = await _assets.App.WaitForCompletionAsync(instanceId, AssetsTestApp.Timeout);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.True(done.ReadOutputAs<RerenderOutcome>()!.Succeeded);
    }

    private async Task AssertRenditionsAreTheListedOnesAsync(string assetId, string[] names)
    {
        var listed = AssetStore.DeserializeRenditions((await _assets.RecordAsync(assetId)).RenditionsJson);
        Assert.Equal(names, listed.Select(r => r.Name).Order());
        Assert.Equal(listed.Select(r => r.BlobName).Order(), (await AssetsTestApp.BlobNamesAsync(_assets.Store.Renditions)).Order());
        foreach (var rendition in listed)
        {
            Assert.Equal(rendition.Bytes, (await _assets.DownloadRenditionAsync(rendition.BlobName)).LongLength);
        }
    }

    private (GatedImaging Gate, Task<RenderRenditionsResult> Render) StartGatedRender(RenderRenditionsRequest request)
    {
        var gate = new GatedImaging(Imaging());
        var renderer = new RenditionActivities(_assets.Store, gate, _assets.App.Services.GetRequiredService<ILogger<RenditionActivities>>());
        return (gate, Task.Run(() => renderer.RenderRenditions(request, _ct)));
    }

    private IAssetImaging Imaging() => _assets.App.Services.GetRequiredService<IAssetImaging>();
}
