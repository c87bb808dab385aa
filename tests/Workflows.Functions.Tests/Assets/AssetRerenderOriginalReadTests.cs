using Azure.Core;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets;
using Workflows.Assets.Uploads;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>
/// A re-render reads the original as it is (it inspects nothing, so no version is pinned); a read that meets a write
/// half-way (the SDK pins the rest of a read to the version it started on) is a read to retry, not a changed original.
/// </summary>
public sealed class AssetRerenderOriginalReadTests
{
    [Fact]
    public async Task Rerender_OriginalWrittenOverDuringItsRead_RetriedAndRenderedNoQuarantineClaimed()
    {
        // Arrange: a Ready asset whose original spans more than one 4 MB block of the SDK's read; during the
        // re-render's read, before its second block, the same bytes are written over the original (a new ETag).
        var storage = new PausingTransport();
        await using var assets = await AssetsTestApp.StartAsync(services: storage.InjectIntoAppStorage);
        byte[] photo = TestImages.PhotoPng(2000, 1500);
        Assert.True(photo.Length > 5 << 20, $"{photo.Length} bytes: the read must need a second block");
        var (assetId, pipeline) = await assets.UploadAndProcessAsync("photo.png", photo);
        Assert.Equal(nameof(AssetStatus.Ready), (await assets.RecordAsync(assetId)).Status);
        var original = assets.Store.Original(assetId);
        bool wroteOver = false;
        storage.PauseOnce(
            r => r.Method == RequestMethod.Get && r.Uri.Path.EndsWith("/" + original.Name, StringComparison.Ordinal)
                && r.Headers.TryGetValue("x-ms-range", out var range) && !range.StartsWith("bytes=0-", StringComparison.Ordinal),
            async () =>
            {
                await original.UploadAsync(new BinaryData(photo), overwrite: true);
                wroteOver = true;
            });

        // Act
        var retry = assets.App.Services.GetRequiredService<AssetStarter>().Retry;
        var instanceId = await assets.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(AssetRerenderOrchestrator), new RerenderAssetRequest(assetId, assets.App.Services.GetRequiredService<IAssetImaging>().Profile.Chains, retry));
        var done = await assets.App.WaitForCompletionAsync(instanceId, AssetsTestApp.Timeout);

        // Assert: the write happened mid-read; the re-render read the original again and rendered it; the asset is
        // Ready with no error, and its original is where it was (nothing quarantined).
        Assert.Equal(OrchestrationRuntimeStatus.Completed, pipeline.RuntimeStatus);
        Assert.True(wroteOver);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var record = await assets.RecordAsync(assetId);
        Assert.Equal((nameof(AssetStatus.Ready), (string?)null), (record.Status, record.ReprocessError));
        Assert.True(done.ReadOutputAs<RerenderOutcome>()!.Succeeded);
        Assert.Equal(photo, (await assets.Store.Original(assetId).DownloadContentAsync()).Value.Content.ToArray());
        Assert.False((await assets.Store.Quarantined(assetId).ExistsAsync()).Value);
    }
}
