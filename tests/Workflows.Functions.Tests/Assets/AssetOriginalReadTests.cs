using System.Security.Cryptography;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets;
using Workflows.Assets.Imaging;
using Workflows.Assets.Storage;
using Workflows.Tests.TestSupport;
using Xunit.Abstractions;

namespace Workflows.Tests.Assets;

/// <summary>
/// How many of an original's bytes cross the wire per asset, counted by the app's own blob client: the rendering reads
/// the whole file once; inspection reads a JPEG's header only, a WebP's or PNG's chunks around the image data.
/// </summary>
public sealed class AssetOriginalReadTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(0)]
    [InlineData(30)] // 30 APP1 segments (~2 MB) before the image: the header outgrows the first read
    public async Task Pipeline_12MpJpegUpload_OriginalReadOnceAndItsSha256RecordedWhenReady(int exifSegments)
    {
        // Arrange
        var reads = new BlobTraffic();
        await using var assets = await StartCountingOriginalReadsAsync(reads);
        byte[] photo = WithExifSegments(TestImages.PhotoJpeg(4000, 3000), exifSegments);

        // Act
        var (assetId, instance) = await assets.UploadAndProcessAsync("photo.jpg", photo);

        // Assert: every byte read once, plus at most the header inspection read.
        var record = await ReadyAsync(assets, assetId, instance);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(photo)), record.Sha256);
        long header = InspectionExtent.Read(photo).BytesRead;
        Assert.True(header < photo.Length / 2, $"inspection reads {header} of {photo.Length} bytes");
        output.WriteLine($"{photo.Length} bytes uploaded; originals read: {reads.Received} bytes in {reads.Reads} GETs (inspection: {header})");
        Assert.Equal(photo.Length + header, reads.Received);
    }

    [Fact]
    public async Task Pipeline_12MpWebpWithExifAndXmpAfterItsImageData_OriginalReadOnceAndMetadataRecorded()
    {
        // Arrange
        var reads = new BlobTraffic();
        await using var assets = await StartCountingOriginalReadsAsync(reads);
        var takenAt = new DateTime(2024, 5, 17, 14, 30, 5, DateTimeKind.Unspecified);
        byte[] photo = TestImages.PhotoWebp(4000, 3000, TestExif.PhonePortrait with { Make = null, Model = null },
            TestImages.Xmp("Contoso", "Lens 12", takenAt));

        // Act
        var (assetId, instance) = await assets.UploadAndProcessAsync("photo.webp", photo);

        // Assert: EXIF (orientation, time, GPS) and XMP (camera) come from after the pixels; the pixels are read once.
        var record = await ReadyAsync(assets, assetId, instance);
        Assert.Equal((3000, 4000, 6), (record.Width, record.Height, record.Orientation));
        Assert.Equal(("Contoso", "Lens 12", "2024-05-17T14:30:05"), (record.CameraMake, record.CameraModel, record.TakenAt));
        Assert.NotNull(record.GpsLatitude);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(photo)), record.Sha256);
        AssertReadOnceAfterItsChunks(photo, reads);
    }

    [Fact]
    public async Task Pipeline_12MpPngWithXmpAndExifAfterItsImageData_OriginalReadOnceAndMetadataRecorded()
    {
        // Arrange: ~30 MB in 8 KB IDAT chunks (as Skia's encoder writes them); XMP (iTXt) and EXIF (eXIf) follow them.
        var reads = new BlobTraffic();
        await using var assets = await StartCountingOriginalReadsAsync(reads);
        var takenAt = new DateTime(2024, 5, 17, 14, 30, 5, DateTimeKind.Unspecified);
        byte[] photo = TestImages.PngWithChunks(
            TestImages.PhotoPng(4000, 3000),
            [],
            [TestImages.PngXmpChunk(TestImages.Xmp("Contoso", "Lens 12", takenAt)), ("eXIf", TestImagesExif.Tiff(TestExif.PhonePortrait with { Orientation = 1, Make = null }))]);

        // Act
        var (assetId, instance) = await assets.UploadAndProcessAsync("photo.png", photo);

        // Assert: the time and GPS (EXIF) and camera (XMP) come from after the pixels; the pixels are read once.
        var record = await ReadyAsync(assets, assetId, instance);
        Assert.Equal((4000, 3000), (record.Width, record.Height));
        Assert.Equal(("Contoso", "2024-05-17T14:30:05"), (record.CameraMake, record.TakenAt));
        Assert.NotNull(record.GpsLatitude);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(photo)), record.Sha256);
        AssertReadOnceAfterItsChunks(photo, reads);
    }

    [Fact]
    public async Task Pipeline_WebpWhoseExifChunkClaimsToRunPastTheEnd_FailedWithAReasonOriginalKeptReadsBounded()
    {
        // Arrange: the EXIF chunk after the image data says it holds 2 GB.
        var reads = new BlobTraffic();
        await using var assets = await StartCountingOriginalReadsAsync(reads);
        byte[] photo = TestImages.PhotoWebp(1280, 960, TestExif.PhonePortrait);
        int exif = photo.AsSpan().LastIndexOf("EXIF"u8);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(photo.AsSpan(exif + 4), int.MaxValue - 1);

        // Act
        var (assetId, _) = await assets.UploadAndProcessAsync("lying.webp", photo);

        // Assert: inspection walks to the lie and reads the rest; the codec, judging the whole file, refuses it, so
        // the rendering never reads it: the file once plus the read that found the lie.
        var record = await assets.RecordAsync(assetId);
        Assert.Equal(nameof(AssetStatus.Failed), record.Status);
        Assert.Contains("truncated or corrupt", record.FailureReason, StringComparison.Ordinal);
        Assert.Equal(photo, (await assets.Store.Quarantined(assetId).DownloadContentAsync()).Value.Content.ToArray());
        var inspection = InspectionExtent.Read(photo);
        output.WriteLine($"{photo.Length} bytes uploaded; originals read: {reads.Received} bytes in {reads.Reads} GETs " +
            $"(inspection: {inspection.BytesRead} bytes in {inspection.Reads} reads)");
        Assert.Equal(photo.Length, inspection.PrefixEnd);
        Assert.Equal(inspection.BytesRead, reads.Received);
        Assert.True(reads.Received < photo.Length + InspectionExtent.FirstRead, $"{reads.Received} bytes read");
    }

    [Fact]
    public async Task Pipeline_OriginalReplacedBetweenInspectionAndRendering_FailedWithAReasonNothingRenderedNewerBlobLeftInPlace()
    {
        // Arrange: right after inspection read the 400 x 300 JPEG, something writes other bytes (a 64 x 64 PNG) over
        // originals/{assetId}.
        byte[] photo = TestImages.Jpeg(400, 300);
        byte[] other = TestImages.Png(64, 64);
        await using var assets = await AssetsTestApp.StartAsync(services: s => s.AddSingleton<IAssetImaging>(sp =>
            new OriginalReplacedAfterInspection(
                ActivatorUtilities.CreateInstance<AssetImaging>(sp), sp.GetRequiredService<AssetStore>().Originals, other)));

        // Act
        var (assetId, instance) = await assets.UploadAndProcessAsync("photo.jpg", photo);

        // Assert: no rendition comes from bytes inspection did not check; the asset says why. The quarantine moves only
        // the version inspected, which is gone: the blob written over it, which the pipeline never checked, stays put.
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        var record = await assets.RecordAsync(assetId);
        Assert.Equal(nameof(AssetStatus.Failed), record.Status);
        Assert.Contains("changed after it was inspected", record.FailureReason, StringComparison.Ordinal);
        Assert.Contains("not quarantined", record.FailureReason, StringComparison.Ordinal);
        Assert.Null(record.Sha256);
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions));
        Assert.Equal(other, (await assets.Store.Original(assetId).DownloadContentAsync()).Value.Content.ToArray());
        Assert.False((await assets.Store.Quarantined(assetId).ExistsAsync()).Value);
    }

    /// <summary>The app, its blob client counting the bytes read from the originals container.</summary>
    private static async Task<AssetsTestApp> StartCountingOriginalReadsAsync(BlobTraffic reads)
    {
        var assets = await AssetsTestApp.StartAsync(services: s =>
            s.AddAzureClients(clients => clients.ConfigureDefaults(o => o.AddPolicy(reads, HttpPipelinePosition.PerCall))));
        reads.ReadsUnder = "/" + assets.Options.OriginalsContainer + "/";
        return assets;
    }

    private static async Task<AssetEntity> ReadyAsync(AssetsTestApp assets, string assetId, OrchestrationMetadata instance)
    {
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        var record = await assets.RecordAsync(assetId);
        Assert.Equal(nameof(AssetStatus.Ready), record.Status);
        return record;
    }

    // Inspection read the chunks around the image data in a few ranged reads, the rendering the whole file once.
    private void AssertReadOnceAfterItsChunks(byte[] photo, BlobTraffic reads)
    {
        var inspection = InspectionExtent.Read(photo);
        output.WriteLine($"{photo.Length} bytes uploaded; originals read: {reads.Received} bytes in {reads.Reads} GETs " +
            $"(inspection: {inspection.BytesRead} bytes in {inspection.Reads} ranged GETs)");
        Assert.True(inspection.BytesRead < 3 * InspectionExtent.FirstRead, $"inspection reads {inspection.BytesRead} of {photo.Length} bytes");
        Assert.Equal(photo.Length + inspection.BytesRead, reads.Received);
    }

    // APP1 segments of 65,000 bytes (not EXIF a reader recognises) right after SOI.
    private static byte[] WithExifSegments(byte[] jpeg, int count)
    {
        using var output = new MemoryStream();
        output.Write(jpeg, 0, 2);
        for (int i = 0; i < count; i++)
        {
            output.Write([0xFF, 0xE1, 65_000 >> 8, 65_000 & 0xFF]);
            output.Write(new byte[65_000 - 2]);
        }

        output.Write(jpeg, 2, jpeg.Length - 2);
        return output.ToArray();
    }

    /// <summary>The real imaging; after each inspection, <paramref name="replacement"/> is written over every original.</summary>
    private sealed class OriginalReplacedAfterInspection(IAssetImaging inner, BlobContainerClient originals, byte[] replacement)
        : ImagingDecorator(inner)
    {
        public override async Task<ImageInspection> InspectAsync(Stream content, CancellationToken ct)
        {
            var inspection = await base.InspectAsync(content, ct);
            await foreach (var blob in originals.GetBlobsAsync(BlobTraits.None, BlobStates.None, null, ct))
            {
                await originals.GetBlobClient(blob.Name).UploadAsync(new BinaryData(replacement), overwrite: true, ct);
            }

            return inspection;
        }
    }
}
