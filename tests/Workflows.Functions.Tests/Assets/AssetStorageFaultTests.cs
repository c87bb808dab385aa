using Azure.Core;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Workflows.Assets;
using Workflows.Assets.Storage;
using Workflows.Assets.Uploads;
using Microsoft.Extensions.DependencyInjection;
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
    public async Task Pipeline_MarkingTheAssetFailedFailsEveryRetry_SettledFailedWithItsOriginalInQuarantineOnceItHasLongEnded()
    {
        // Arrange: rendering fails every attempt, and so does every write that would mark the asset Failed.
        var fault = new StorageFault();
        var clock = new SettableClock();
        var markingFailedDown = true;
        await using var assets = await AssetsTestApp.StartAsync(services: s =>
        {
            fault.InjectIntoAppStorage(s);
            s.AddSingleton<TimeProvider>(clock);
        });
        var (renditions, record) = ($"/{assets.Options.RenditionsContainer}/", $"/{assets.Options.AssetsTable}(");
        fault.FailNext(request => request.Method == RequestMethod.Put && request.Uri.Path.Contains(renditions, StringComparison.Ordinal), 503, int.MaxValue);
        fault.FailNext(request => markingFailedDown && request.Uri.Path.Contains(record, StringComparison.Ordinal) && Writes(request, "\"Status\":\"Failed\""), 503, int.MaxValue);
        var (assetId, instance) = await assets.UploadAndProcessAsync("photo.jpg", TestImages.Jpeg(320, 240));
        Assert.Equal(OrchestrationRuntimeStatus.Failed, instance.RuntimeStatus);
        Assert.Equal(nameof(AssetStatus.Processing), (await assets.RecordAsync(assetId)).Status);
        markingFailedDown = false;
        var sweep = assets.App.CreateFunction<StuckAssetSweep>();

        // Act: storage is healthy again; the sweep runs at once, then once the pipeline has ended long enough ago that
        // no activity of it can still be running.
        await sweep.SettleStuckAssets(new TimerInfo(), assets.Client, default);
        var tooSoon = await assets.RecordAsync(assetId);
        clock.Now = instance.LastUpdatedAt + StuckAssetSweep.SettleAfter + TimeSpan.FromSeconds(1);
        await sweep.SettleStuckAssets(new TimerInfo(), assets.Client, default);

        // Assert: Failed with a reason, the original in quarantine, no renditions.
        Assert.Equal(nameof(AssetStatus.Processing), tooSoon.Status);
        var settled = await assets.RecordAsync(assetId);
        Assert.Equal(nameof(AssetStatus.Failed), settled.Status);
        Assert.Contains("quarantine", settled.FailureReason, StringComparison.Ordinal);
        Assert.False((await assets.Store.Original(assetId).ExistsAsync()).Value);
        Assert.True((await assets.Store.Quarantined(assetId).ExistsAsync()).Value);
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions));
    }

    [Fact]
    public async Task StuckAssetSweep_RecordWrittenButItsInstanceNotStartedYet_LeftForTheUploadSweepToStart()
    {
        // Arrange: a start wrote the asset's record, then died before scheduling its instance.
        var clock = new SettableClock();
        await using var assets = await AssetsTestApp.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var upload = await assets.PutUploadAsync("lost-start.jpg", TestImages.Jpeg(64, 48));
        var properties = (await upload.GetPropertiesAsync()).Value;
        var request = assets.App.Services.GetRequiredService<AssetStarter>().RequestFor(upload.BlobContainerName, upload.Name, properties.ETag, properties.Metadata);
        await assets.Store.AddIfAbsentAsync(AssetEntity.ForUpload(request.AssetId, "lost-start.jpg", upload.BlobContainerName, upload.Name), default);
        clock.Now = properties.LastModified + TimeSpan.FromHours(1);

        // Act: both sweeps run; the stuck-asset sweep first.
        await assets.App.CreateFunction<StuckAssetSweep>().SettleStuckAssets(new TimerInfo(), assets.Client, default);
        await assets.App.CreateFunction<UploadSweepTimer>().SweepUploads(new TimerInfo(), assets.Client, default);

        // Assert: the upload is processed, not failed.
        Assert.Equal(AssetStatus.Ready, (await assets.WaitAsync(request.AssetId)).ReadOutputAs<AssetOutcome>()!.Status);
    }

    [Fact]
    public async Task StuckAssetSweep_TerminatedPipelineAndTheQuarantineCopyFailsOnce_TheNextRunQuarantinesTheOriginal()
    {
        // Arrange: an asset Processing with its original in originals, whose pipeline was terminated over 30 minutes ago
        // (a waiting stand-in under the pipeline's instance id); the first run's copies to quarantine fail.
        var fault = new StorageFault();
        var clock = new SettableClock();
        await using var assets = await AssetsTestApp.StartAsync(services: s =>
        {
            fault.InjectIntoAppStorage(s);
            s.AddSingleton<TimeProvider>(clock);
        });
        var assetId = AssetIds.FromUpload("uploads", "stuck.jpg", "0x1");
        await assets.Store.AddIfAbsentAsync(AssetEntity.For(assetId), default);
        await assets.Store.Original(assetId).UploadAsync(new BinaryData(TestImages.Jpeg(32, 24)));
        var instanceId = AssetIds.InstanceId(assetId);
        await assets.Client.ScheduleNewOrchestrationInstanceAsync(nameof(HarnessWaitOrchestrator), "pipeline", new StartOrchestrationOptions(instanceId));
        using (var timeout = new Deadline(AssetsTestApp.Timeout))
        {
            await assets.Client.WaitForInstanceStartAsync(instanceId, timeout.Token);
        }

        await assets.Client.TerminateInstanceAsync(instanceId, "stuck");
        var ended = await assets.App.WaitForCompletionAsync(instanceId, AssetsTestApp.Timeout);
        clock.Now = ended.LastUpdatedAt + StuckAssetSweep.SettleAfter + TimeSpan.FromSeconds(1);
        var quarantineDown = true;
        var quarantine = $"/{assets.Store.Quarantine.Name}/";
        fault.FailNext(r => quarantineDown && r.Method == RequestMethod.Put && r.Uri.Path.Contains(quarantine, StringComparison.Ordinal), 503, int.MaxValue);
        var sweep = assets.App.CreateFunction<StuckAssetSweep>();

        // Act
        var first = await sweep.SettleAsync(assets.Client, default);
        var afterFirst = await assets.RecordAsync(assetId);
        quarantineDown = false;
        var second = await sweep.SettleAsync(assets.Client, default);

        // Assert: the failed run left the asset for the next, which moved the original and only then said so.
        Assert.Equal((0, 1), (first.Settled, first.Failures.Count));
        Assert.Equal(nameof(AssetStatus.Processing), afterFirst.Status);
        Assert.Equal((1, 0), (second.Settled, second.Failures.Count));
        var settled = await assets.RecordAsync(assetId);
        Assert.Equal(nameof(AssetStatus.Failed), settled.Status);
        Assert.Contains("quarantine", settled.FailureReason, StringComparison.Ordinal);
        Assert.False((await assets.Store.Original(assetId).ExistsAsync()).Value);
        Assert.True((await assets.Store.Quarantined(assetId).ExistsAsync()).Value);
    }

    [Fact]
    public async Task StuckAssetSweep_QuarantineAlreadyHoldsAnotherBlob_ReasonSaysTheOriginalIsLeftInOriginals()
    {
        // Arrange: an asset Processing with its original in originals, whose pipeline was terminated long ago; the
        // quarantine already holds another blob under the asset id (not a copy of this original the quarantine labelled).
        var clock = new SettableClock();
        await using var assets = await AssetsTestApp.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var assetId = AssetIds.FromUpload("uploads", "taken.jpg", "0x1");
        await assets.Store.AddIfAbsentAsync(AssetEntity.For(assetId), default);
        byte[] photo = TestImages.Jpeg(32, 24);
        byte[] other = TestImages.Png(16, 16);
        await assets.Store.Original(assetId).UploadAsync(new BinaryData(photo));
        await assets.Store.Quarantined(assetId).UploadAsync(new BinaryData(other));
        var instanceId = AssetIds.InstanceId(assetId);
        await assets.Client.ScheduleNewOrchestrationInstanceAsync(nameof(HarnessWaitOrchestrator), "pipeline", new StartOrchestrationOptions(instanceId));
        using (var timeout = new Deadline(AssetsTestApp.Timeout))
        {
            await assets.Client.WaitForInstanceStartAsync(instanceId, timeout.Token);
        }

        await assets.Client.TerminateInstanceAsync(instanceId, "stuck");
        var ended = await assets.App.WaitForCompletionAsync(instanceId, AssetsTestApp.Timeout);
        clock.Now = ended.LastUpdatedAt + StuckAssetSweep.SettleAfter + TimeSpan.FromSeconds(1);

        // Act
        var (settled, failures) = await assets.App.CreateFunction<StuckAssetSweep>().SettleAsync(assets.Client, default);

        // Assert: both blobs as they were, and the reason says where the original is, not that it is in quarantine.
        Assert.Equal((1, 0), (settled, failures.Count));
        var record = await assets.RecordAsync(assetId);
        Assert.Equal(nameof(AssetStatus.Failed), record.Status);
        Assert.DoesNotContain("kept in quarantine", record.FailureReason, StringComparison.Ordinal);
        Assert.Contains($"left in originals/{assetId}", record.FailureReason, StringComparison.Ordinal);
        Assert.Equal(photo, (await assets.Store.Original(assetId).DownloadContentAsync()).Value.Content.ToArray());
        Assert.Equal(other, (await assets.Store.Quarantined(assetId).DownloadContentAsync()).Value.Content.ToArray());
    }

    [Fact]
    public async Task StuckAssetSweep_PipelineLeftAWrittenOverOriginalInPlace_LeftThereAndTheReasonSaysSo()
    {
        // Arrange: the pipeline's quarantine found originals/{assetId} written over since inspection, left that blob in
        // place and noted it on the record; then marking the asset Failed failed every retry and the pipeline ended.
        var clock = new SettableClock();
        await using var assets = await AssetsTestApp.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var assetId = AssetIds.FromUpload("uploads", "written-over.jpg", "0x1");
        await assets.Store.AddIfAbsentAsync(AssetEntity.For(assetId), default);
        byte[] newer = TestImages.Png(16, 16);
        await assets.Store.Original(assetId).UploadAsync(new BinaryData(newer));
        var note = OriginalQuarantine.LeftInPlace(QuarantineResult.OriginalWrittenOver, assetId)!;
        await assets.Store.NoteQuarantineAsync(assetId, note, default);
        var instanceId = AssetIds.InstanceId(assetId);
        await assets.Client.ScheduleNewOrchestrationInstanceAsync(nameof(HarnessWaitOrchestrator), "pipeline", new StartOrchestrationOptions(instanceId));
        using (var timeout = new Deadline(AssetsTestApp.Timeout))
        {
            await assets.Client.WaitForInstanceStartAsync(instanceId, timeout.Token);
        }

        await assets.Client.TerminateInstanceAsync(instanceId, "stuck");
        var ended = await assets.App.WaitForCompletionAsync(instanceId, AssetsTestApp.Timeout);
        clock.Now = ended.LastUpdatedAt + StuckAssetSweep.SettleAfter + TimeSpan.FromSeconds(1);

        // Act
        var (settled, failures) = await assets.App.CreateFunction<StuckAssetSweep>().SettleAsync(assets.Client, default);

        // Assert: the blob the upload did not produce stays where it is, as the pipeline left it, and the reason says so.
        Assert.Equal((1, 0), (settled, failures.Count));
        var record = await assets.RecordAsync(assetId);
        Assert.Equal(nameof(AssetStatus.Failed), record.Status);
        Assert.Contains(note, record.FailureReason, StringComparison.Ordinal);
        Assert.Equal(newer, (await assets.Store.Original(assetId).DownloadContentAsync()).Value.Content.ToArray());
        Assert.False((await assets.Store.Quarantined(assetId).ExistsAsync()).Value);
    }

    private static bool Writes(Request request, string text)
    {
        using var body = new MemoryStream();
        request.Content?.WriteTo(body, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(body.ToArray()).Contains(text, StringComparison.Ordinal);
    }
}
