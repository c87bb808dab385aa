using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets;
using Workflows.Assets.Storage;
using Workflows.Assets.Uploads;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>
/// The quarantine moves the original it was given, and only that: a blob written to <c>originals/{assetId}</c> after it
/// (by an operator, another tool) is never deleted, and the copy already in quarantine is never written over.
/// </summary>
public sealed class QuarantineOriginalTests
{
    private readonly CancellationToken _ct = CancellationToken.None;

    [Theory]
    [InlineData(true)] // the pipeline's request: the version inspection took in
    [InlineData(false)] // the version found there (a request registered before inspection, an older history)
    public async Task QuarantineOriginal_OriginalWrittenOverBetweenItsCopyAndDelete_BothVersionsKept(bool namesVersion)
    {
        // Arrange: an inspected upload; right after the quarantine copied the original, other bytes are written over it.
        var pausing = new PausingTransport();
        await using var assets = await AssetsTestApp.StartAsync(services: pausing.InjectIntoAppStorage);
        byte[] photo = TestImages.Jpeg(400, 300);
        byte[] newer = TestImages.Png(64, 64);
        var (upload, inspected) = await InspectAsync(assets, photo);
        var quarantine = Quarantine(upload, namesVersion ? inspected : null);
        var originals = $"/{assets.Store.Originals.Name}/";
        pausing.PauseOnce(
            r => r.Method == RequestMethod.Delete && r.Uri.Path.Contains(originals, StringComparison.Ordinal),
            () => assets.Store.Original(upload.AssetId).UploadAsync(new BinaryData(newer), overwrite: true, _ct));

        // Act
        await Records(assets).QuarantineOriginal(quarantine, _ct);

        // Assert: the bytes copied are in quarantine; the ones written after the copy are still the original.
        Assert.Equal(photo, await ContentAsync(assets.Store.Quarantined(upload.AssetId)));
        Assert.Equal(newer, await ContentAsync(assets.Store.Original(upload.AssetId)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task QuarantineOriginal_RedeliveredAfterItsMoveAndANewerOriginal_NeitherTouched(bool namesVersion)
    {
        // Arrange: the quarantine has run to the end (its result lost), then other bytes are written to originals.
        await using var assets = await AssetsTestApp.StartAsync();
        byte[] photo = TestImages.Jpeg(400, 300);
        byte[] newer = TestImages.Png(64, 64);
        var (upload, inspected) = await InspectAsync(assets, photo);
        var quarantine = Quarantine(upload, namesVersion ? inspected : null);
        Assert.True(await Records(assets).QuarantineOriginal(quarantine, _ct));
        await assets.Store.Original(upload.AssetId).UploadAsync(new BinaryData(newer), overwrite: true, _ct);

        // Act: the same quarantine, delivered again.
        var again = await Records(assets).QuarantineOriginal(quarantine, _ct);

        // Assert: it moved nothing, and did not fail; the quarantined bytes and the newer original are as they were.
        Assert.False(again);
        Assert.Equal(photo, await ContentAsync(assets.Store.Quarantined(upload.AssetId)));
        Assert.Equal(newer, await ContentAsync(assets.Store.Original(upload.AssetId)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task QuarantineOriginal_UploadCarriedItsClientFileName_TheQuarantinedCopyStillCarriesIt(bool namesVersion)
    {
        // Arrange: an upload through the HTTP endpoint carries the client's file name in its metadata.
        await using var assets = await AssetsTestApp.StartAsync();
        var (upload, inspected) = await InspectAsync(
            assets, TestImages.Jpeg(400, 300), new Dictionary<string, string> { [AssetStarter.OriginalNameMetadataKey] = "holiday%20photo.jpg" });
        Assert.Equal("holiday%20photo.jpg",
            (await assets.Store.Original(upload.AssetId).GetPropertiesAsync()).Value.Metadata[AssetStarter.OriginalNameMetadataKey]);

        // Act
        Assert.True(await Records(assets).QuarantineOriginal(Quarantine(upload, namesVersion ? inspected : null), _ct));

        // Assert: the quarantined copy keeps the original's metadata beside the version label.
        var quarantined = (await assets.Store.Quarantined(upload.AssetId).GetPropertiesAsync()).Value.Metadata;
        Assert.Equal("holiday%20photo.jpg", quarantined[AssetStarter.OriginalNameMetadataKey]);
        Assert.True(quarantined.ContainsKey(OriginalQuarantine.VersionMetadataKey));
    }

    private static async Task<(ProcessAssetRequest Upload, InspectUploadResult Inspected)> InspectAsync(
        AssetsTestApp assets, byte[] content, IDictionary<string, string>? metadata = null)
    {
        var blob = await assets.PutUploadAsync("photo.jpg", content);
        if (metadata is not null)
        {
            await blob.SetMetadataAsync(metadata);
        }

        var upload = assets.App.Services.GetRequiredService<AssetStarter>().RequestFor(
            blob.BlobContainerName, blob.Name, (await blob.GetPropertiesAsync()).Value.ETag, null);
        var inspected = await assets.App.CreateFunction<InspectActivities>().InspectUpload(
            new InspectUploadRequest(upload.AssetId, upload.UploadContainer, upload.UploadBlobName, upload.UploadETag, upload.OriginalName),
            CancellationToken.None);
        Assert.Null(inspected.Rejection);
        return (upload, inspected);
    }

    private static QuarantineRequest Quarantine(ProcessAssetRequest upload, InspectUploadResult? inspected) =>
        new(upload.AssetId, upload.UploadContainer, upload.UploadBlobName, upload.UploadETag, inspected?.OriginalETag);

    private static AssetRecordActivities Records(AssetsTestApp assets) => assets.App.CreateFunction<AssetRecordActivities>();

    private static async Task<byte[]> ContentAsync(Azure.Storage.Blobs.BlobClient blob) =>
        (await blob.DownloadContentAsync()).Value.Content.ToArray();
}
