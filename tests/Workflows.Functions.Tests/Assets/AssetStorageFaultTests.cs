using Azure.Core;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workflows.Assets;
using Workflows.Assets.Uploads;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>
/// Taking an upload in when the one storage request that matters fails every attempt the SDK makes: the activity's retry
/// finishes the job, and the original is never lost (the upload is removed only once its copy is in originals).
/// </summary>
public sealed class AssetStorageFaultTests
{
    [Theory]
    [InlineData("HEAD", "originals", 500)] // is the original already in place?
    [InlineData("PUT", "originals", 408)] // the copy to originals: made, its answer lost
    [InlineData("DELETE", "uploads", 408)] // removing the upload: done, its answer lost
    [InlineData("GET", "originals", 503)] // reading the original to inspect it
    public async Task Pipeline_OneStorageRequestFailsEverySdkAttempt_AssetReadyWithItsOriginalInOriginals(string method, string container, int status)
    {
        // Arrange: 4 failures = the request and the SDK's 3 retries; the activity's second attempt meets no fault.
        var fault = new StorageFault();
        await using var assets = await AssetsTestApp.StartAsync(services: fault.InjectIntoAppStorage);
        var path = "/" + (container == "uploads" ? assets.Options.UploadsContainer : assets.Options.OriginalsContainer) + "/";
        fault.FailNext(request => request.Method.Method == method && request.Uri.Path.Contains(path, StringComparison.Ordinal), status, count: 4);

        // Act
        var (assetId, instance) = await assets.UploadAndProcessAsync("photo.jpg", TestImages.Jpeg(320, 240));

        // Assert
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal(nameof(AssetStatus.Ready), (await assets.RecordAsync(assetId)).Status);
        Assert.True((await assets.Store.Original(assetId).ExistsAsync()).Value);
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Uploads));
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Quarantine));
    }

    [Fact]
    public async Task Pipeline_MarkingTheAssetFailedFailsEveryRetry_TheSweepSettlesItFailedWithItsOriginalInQuarantine()
    {
        // Arrange: rendering fails every attempt, and so does every write that would mark the asset Failed.
        var fault = new StorageFault();
        var markingFailedDown = true;
        await using var assets = await AssetsTestApp.StartAsync(services: fault.InjectIntoAppStorage);
        var (renditions, record) = ($"/{assets.Options.RenditionsContainer}/", $"/{assets.Options.AssetsTable}(");
        fault.FailNext(request => request.Method == RequestMethod.Put && request.Uri.Path.Contains(renditions, StringComparison.Ordinal), 503, int.MaxValue);
        fault.FailNext(request => markingFailedDown && request.Uri.Path.Contains(record, StringComparison.Ordinal) && Writes(request, "\"Status\":\"Failed\""), 503, int.MaxValue);
        var (assetId, instance) = await assets.UploadAndProcessAsync("photo.jpg", TestImages.Jpeg(320, 240));
        Assert.Equal(OrchestrationRuntimeStatus.Failed, instance.RuntimeStatus);
        Assert.Equal(nameof(AssetStatus.Processing), (await assets.RecordAsync(assetId)).Status);

        // Act: storage is healthy again; the reconciliation sweep runs.
        markingFailedDown = false;
        await assets.App.CreateFunction<UploadSweepTimer>().SweepUploads(new TimerInfo(), assets.Client, default);

        // Assert: Failed with a reason, the original in quarantine, no renditions.
        var settled = await assets.RecordAsync(assetId);
        Assert.Equal(nameof(AssetStatus.Failed), settled.Status);
        Assert.Contains("quarantine", settled.FailureReason, StringComparison.Ordinal);
        Assert.False((await assets.Store.Original(assetId).ExistsAsync()).Value);
        Assert.True((await assets.Store.Quarantined(assetId).ExistsAsync()).Value);
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions));
    }

    private static bool Writes(Request request, string text)
    {
        using var body = new MemoryStream();
        request.Content?.WriteTo(body, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(body.ToArray()).Contains(text, StringComparison.Ordinal);
    }
}
