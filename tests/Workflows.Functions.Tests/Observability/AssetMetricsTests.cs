using Workflows.Assets;
using Workflows.Tests.Assets;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Observability;

/// <summary>What operators count must not grow with at-least-once delivery: one asset is one finished asset.</summary>
[Collection(nameof(TelemetryRunsAlone))]
public sealed class AssetMetricsTests
{
    [Fact]
    public async Task AssetsFinished_MarkAssetFailedDeliveredAgain_CountsTheAssetOnceAndKeepsItsReason()
    {
        // Arrange: an upload that is not an image ends Failed.
        using var finished = new MeasurementCapture("workflows.assets.finished");
        await using var assets = await AssetsTestApp.StartAsync();
        var (assetId, _) = await assets.UploadAndProcessAsync("notes.jpg", TestImages.Text());
        var failed = await assets.RecordAsync(assetId);
        Assert.Equal(nameof(AssetStatus.Failed), failed.Status);

        // Act: its MarkAssetFailed runs once more (a redelivery after its lease expired; or delivered after the stuck-asset
        // sweep settled the asset, which counted it then).
        var records = assets.App.CreateFunction<AssetRecordActivities>();
        await records.MarkAssetFailed(new MarkAssetFailedRequest(assetId, "notes.jpg", "Late."), CancellationToken.None);

        // Assert
        Assert.Equal(1, finished.Count(("outcome", nameof(AssetStatus.Failed))));
        var record = await assets.RecordAsync(assetId);
        Assert.Equal((failed.FailureReason, failed.ProcessingCompletedAt), (record.FailureReason, record.ProcessingCompletedAt));
    }
}
