using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets;
using Workflows.Assets.Imaging;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>Uploads that cannot become assets, and a rendition branch that breaks: Failed, quarantined, nothing left over.</summary>
public sealed class AssetFailureTests
{
    public static TheoryData<string, byte[], string> Rejected => new()
    {
        { "truncated.jpg", TestImages.Truncated(TestImages.PhotoJpeg(640, 480)), "truncated" },
        { "empty.jpg", TestImages.Empty(), "empty" },
        { "holiday.jpg", TestImages.Text(), "not a supported image" },
        { "bomb.png", TestImages.PngBomb(), "limit" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public async Task AssetPipeline_UploadIsNotAUsableImage_FailedWithReasonAndQuarantined(string name, byte[] content, string reasonMentions)
    {
        // Arrange
        await using var assets = await AssetsTestApp.StartAsync();

        // Act
        var (assetId, instance) = await assets.UploadAndProcessAsync(name, content);

        // Assert
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal(AssetStatus.Failed, instance.ReadOutputAs<AssetOutcome>()!.Status);
        var record = await assets.RecordAsync(assetId);
        Assert.Equal(nameof(AssetStatus.Failed), record.Status);
        Assert.Contains(reasonMentions, record.FailureReason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(name, record.OriginalName);
        await AssertQuarantinedOnlyAsync(assets, assetId, content);
    }

    [Fact]
    public async Task AssetPipeline_BlobOverSizeLimitWrittenStraightToUploads_FailedUnreadAndQuarantined()
    {
        // Arrange: the HTTP path answers 413; a blob written with storage tools must not be buffered whole either.
        await using var assets = await AssetsTestApp.StartAsync(s => s["Assets:MaxUploadBytes"] = "20000");
        var photo = TestImages.PhotoJpeg(400, 400);
        Assert.True(photo.Length > 20_000);

        var blob = await assets.PutUploadAsync("large.jpg", photo);
        var written = (await blob.GetPropertiesAsync()).Value.LastModified;
        var assetId = await AssetsTestApp.AssetIdOfAsync(blob);

        // Act
        await assets.FireTriggerAsync(blob);
        var instance = await assets.WaitAsync(assetId);

        // Assert: the reason, and the upload's size and time, though it was never read.
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        var record = await assets.RecordAsync(assetId);
        Assert.Equal(nameof(AssetStatus.Failed), record.Status);
        Assert.Contains("limit", record.FailureReason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal((photo.LongLength, written), (record.SizeBytes, record.UploadedAt));
        await AssertQuarantinedOnlyAsync(assets, assetId, photo);
    }

    [Fact]
    public async Task AssetPipeline_RenderingFailsAfterWritingSome_EverythingWrittenCleanedUp()
    {
        // Arrange: rendering writes the first JPEG and WebP renditions, then crashes (on every attempt).
        await using var assets = await AssetsTestApp.StartAsync(services: services =>
            services.AddSingleton<IAssetImaging>(sp => new WebpCrashingImaging(ActivatorUtilities.CreateInstance<AssetImaging>(sp))));
        var photo = TestImages.Jpeg(1000, 800);

        // Act
        var (assetId, instance) = await assets.UploadAndProcessAsync("photo.jpg", photo);

        // Assert
        Assert.Equal(OrchestrationRuntimeStatus.Failed, instance.RuntimeStatus);
        var record = await assets.RecordAsync(assetId);
        Assert.Equal(nameof(AssetStatus.Failed), record.Status);
        Assert.Contains(nameof(RenditionActivities.RenderRenditions), record.FailureReason, StringComparison.Ordinal);
        Assert.Contains(assetId, record.FailureReason, StringComparison.Ordinal);
        await AssertQuarantinedOnlyAsync(assets, assetId, photo);
        Assert.Equal(0, await assets.ReadyMessageCountAsync());
    }

    private static async Task AssertQuarantinedOnlyAsync(AssetsTestApp assets, string assetId, byte[] content)
    {
        Assert.Equal([assetId], await AssetsTestApp.BlobNamesAsync(assets.Store.Quarantine));
        var quarantined = await assets.Store.Quarantined(assetId).DownloadContentAsync();
        Assert.Equal(content, quarantined.Value.Content.ToArray());
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Originals));
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions));
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Uploads));
    }
}
