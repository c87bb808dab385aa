using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using SkiaSharp;
using Workflows.Assets;
using Workflows.Assets.Http;
using Workflows.Assets.Storage;
using Workflows.Tests.Assets.Imaging;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>
/// The acceptance scenarios of the phone, camera and print formats end to end: through the blob trigger and
/// over HTTP, on the in-memory engine and Azurite, each becomes Ready with upright renditions and its metadata.
/// </summary>
public sealed class AssetCameraFormatTests
{
    public static TheoryData<string> Scenarios => CameraFormatTests.Scenarios;

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task AssetPipeline_CameraOrPrintFormatUploaded_ReadyWithUprightRenditionsAndMetadata(string name)
    {
        // Arrange
        await using var assets = await AssetsTestApp.StartAsync();
        CameraFormatTests.Scenario scenario = CameraFormatTests.Scenario.All[name];

        // Act
        var (assetId, instance) = await assets.UploadAndProcessAsync($"{name}.bin", scenario.Content());

        // Assert
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        var record = await assets.RecordAsync(assetId);
        Assert.Equal((nameof(AssetStatus.Ready), null), (record.Status, record.FailureReason));
        Assert.Equal((scenario.ContentType, scenario.Upright.Width, scenario.Upright.Height), (record.ContentType, record.Width, record.Height));
        TestExif exif = scenario.Exif;
        Assert.Equal(
            (exif.Make, exif.Model, exif.TakenAt?.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)),
            (record.CameraMake, record.CameraModel, record.TakenAt));
        Assert.Equal(exif.Latitude.HasValue, record.GpsLatitude.HasValue);
        Assert.Equal(exif.Latitude ?? 0, record.GpsLatitude ?? 0, 4);
        Assert.Equal(exif.Longitude ?? 0, record.GpsLongitude ?? 0, 4);
        var renditions = AssetStore.DeserializeRenditions(record.RenditionsJson);
        Assert.Equal(6, renditions.Count);
        foreach (var rendition in renditions)
        {
            using SKBitmap upright = TestImages.Decode(await assets.DownloadRenditionAsync(rendition.BlobName));
            Assert.Equal((rendition.Width, rendition.Height), (upright.Width, upright.Height));
            Assert.Equal(scenario.Upright.Width > scenario.Upright.Height, upright.Width > upright.Height);
            SKColor corner = upright.GetPixel(scenario.MarkerRight ? upright.Width - 2 : 1, 1);
            Assert.True(corner.Red > 150 && corner.Green < 100, $"{rendition.Name}: marker expected top {(scenario.MarkerRight ? "right" : "left")}, found {corner}");
        }

        var thumbnail = renditions.Single(r => r.Name == "jpeg-200");
        Assert.Equal(200, Math.Max(thumbnail.Width, thumbnail.Height));
    }

    [Theory]
    [InlineData("IMG_0001.HEIC", "image/heic")]
    [InlineData("scan.jxl", "image/jxl")]
    [InlineData("DSC_0001.dng", "image/x-adobe-dng")]
    [InlineData("poster.psd", "image/vnd.adobe.photoshop")]
    public async Task UploadAsset_CameraFormatOverHttp_AcceptedThenReady(string fileName, string contentType)
    {
        // Arrange
        await using var assets = await AssetsTestApp.StartAsync();
        byte[] content = contentType switch
        {
            "image/heic" => TestFiles.Read(TestFiles.PhonePortraitHeic),
            "image/jxl" => TestImages.JpegXl(300, 200),
            "image/x-adobe-dng" => TestImages.Dng(300, 200, TestExif.PhonePortrait),
            _ => TestImages.Psd(300, 200),
        };
        var upload = TestHttp.Request("POST", $"/api/assets?name={fileName}", new MemoryStream(content), contentType);

        // Act
        var accepted = await (await assets.App.CreateFunction<UploadAssetHttp>().UploadAsset(upload, assets.Client, default))
            .ExecuteAsync(upload);
        var id = accepted.Json<AssetAccepted>()!.Id;
        await assets.WaitAsync(id);

        // Assert
        Assert.Equal(StatusCodes.Status202Accepted, accepted.StatusCode);
        var record = await assets.RecordAsync(id);
        Assert.Equal((nameof(AssetStatus.Ready), contentType), (record.Status, record.ContentType));
    }
}
