using System.Globalization;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using Microsoft.DurableTask.Client;
using Workflows.Assets;
using Workflows.Assets.Storage;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>Uploads through the blob trigger, end to end on the in-memory engine and Azurite.</summary>
public sealed class AssetPipelineTests
{
    public static TheoryData<string, string> Formats => new()
    {
        { "photo.jpg", "image/jpeg" },
        { "diagram.png", "image/png" },
        { "banner.webp", "image/webp" },
        { "scan.tif", "image/tiff" },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task AssetPipeline_ImageUploadedToBlobStorage_ReadyWithRenditionsKeepingAspect(string name, string contentType)
    {
        // Arrange
        await using var assets = await AssetsTestApp.StartAsync();
        var image = contentType switch
        {
            "image/png" => TestImages.Png(2000, 1000),
            "image/webp" => TestImages.Webp(2000, 1000),
            "image/tiff" => TestImages.Tiff(2000, 1000, new TestTiff(TestTiffCompression.Lzw, Predictor: true)),
            _ => TestImages.Jpeg(2000, 1000),
        };

        // Act
        var (assetId, instance) = await assets.UploadAndProcessAsync(name, image);

        // Assert
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        var record = await assets.RecordAsync(assetId);
        Assert.Equal(nameof(AssetStatus.Ready), record.Status);
        Assert.Equal(contentType, record.ContentType);
        Assert.Equal((2000, 1000), (record.Width, record.Height));
        Assert.Equal(name, record.OriginalName);
        Assert.Equal(image.Length, record.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(image)), record.Sha256);
        var renditions = AssetStore.DeserializeRenditions(record.RenditionsJson);
        Assert.Equal(
            new[] { "jpeg-1600", "jpeg-800", "jpeg-200", "webp-1600", "webp-800", "webp-200" }.Order(StringComparer.Ordinal),
            renditions.Select(r => r.Name).Order(StringComparer.Ordinal));
        foreach (var rendition in renditions)
        {
            var bytes = await assets.DownloadRenditionAsync(rendition.BlobName);
            using var decoded = TestImages.Decode(bytes);
            Assert.Equal(int.Parse(rendition.Name[5..], CultureInfo.InvariantCulture), decoded.Width);
            Assert.Equal(decoded.Width / 2, decoded.Height);
            Assert.Equal((rendition.Width, rendition.Height, rendition.Bytes), (decoded.Width, decoded.Height, bytes.Length));
            Assert.Equal($"{assetId}/{rendition.Name}.{(rendition.ContentType == "image/jpeg" ? "jpg" : "webp")}", rendition.BlobName);
        }

        Assert.Equal([assetId], await AssetsTestApp.BlobNamesAsync(assets.Store.Originals));
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Uploads));
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Quarantine));
        Assert.Equal(1, await assets.ReadyMessageCountAsync());
    }

    [Fact]
    public async Task AssetPipeline_ExifRotatedPhotoWithGps_UprightRenditionsWithoutGpsAndGpsInRecord()
    {
        // Arrange: stored landscape 1200 × 900, orientation 6 (viewed as portrait 900 × 1200), with GPS.
        await using var assets = await AssetsTestApp.StartAsync();
        var photo = TestImages.JpegWithExif(1200, 900, TestExif.PhonePortrait);

        // Act
        var (assetId, _) = await assets.UploadAndProcessAsync("IMG_0001.JPG", photo);

        // Assert
        var record = await assets.RecordAsync(assetId);
        Assert.Equal(nameof(AssetStatus.Ready), record.Status);
        Assert.Equal((900, 1200, 6), (record.Width, record.Height, record.Orientation));
        Assert.Equal(("Contoso", "Lens 12", "2024-05-17T14:30:05"), (record.CameraMake, record.CameraModel, record.TakenAt));
        Assert.Equal(48.858222, record.GpsLatitude!.Value, 4);
        Assert.Equal(-2.2945, record.GpsLongitude!.Value, 4);
        foreach (var rendition in AssetStore.DeserializeRenditions(record.RenditionsJson))
        {
            Assert.True(rendition.Height > rendition.Width, $"{rendition.Name} is {rendition.Width}x{rendition.Height}");
            var bytes = await assets.DownloadRenditionAsync(rendition.BlobName);
            var directories = ImageMetadataReader.ReadMetadata(new MemoryStream(bytes));
            Assert.Empty(directories.OfType<GpsDirectory>());
            Assert.DoesNotContain(directories.OfType<ExifIfd0Directory>(), d => d.ContainsTag(ExifDirectoryBase.TagOrientation));
        }
    }

    [Fact]
    public async Task AssetPipeline_ImageSmallerThanEveryWidth_NotUpscaled()
    {
        // Arrange
        await using var assets = await AssetsTestApp.StartAsync();

        // Act
        var (assetId, _) = await assets.UploadAndProcessAsync("icon.png", TestImages.Png(120, 80));

        // Assert
        var renditions = AssetStore.DeserializeRenditions((await assets.RecordAsync(assetId)).RenditionsJson);
        Assert.Equal(6, renditions.Count);
        Assert.All(renditions, r => Assert.Equal((120, 80), (r.Width, r.Height)));
    }

    [Fact]
    public async Task AssetPipeline_UploadInVirtualFolder_StoresOnlyUnderItsAssetId()
    {
        // Arrange
        await using var assets = await AssetsTestApp.StartAsync();

        // Act
        var (assetId, _) = await assets.UploadAndProcessAsync("2026/11/holiday.jpg", TestImages.Jpeg(300, 200));

        // Assert
        var record = await assets.RecordAsync(assetId);
        Assert.Equal(("holiday.jpg", nameof(AssetStatus.Ready)), (record.OriginalName, record.Status));
        Assert.Equal([assetId], await AssetsTestApp.BlobNamesAsync(assets.Store.Originals));
        Assert.All(await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions), n => Assert.StartsWith(assetId + "/", n, StringComparison.Ordinal));
    }
}
