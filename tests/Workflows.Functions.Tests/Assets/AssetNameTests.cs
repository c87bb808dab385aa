using Microsoft.AspNetCore.Http;
using Workflows.Assets;
using Workflows.Assets.Http;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>User-supplied names and ids never reach storage as paths.</summary>
public sealed class AssetNameTests
{
    public static TheoryData<string> BadFileNames => new()
    {
        "../../etc/passwd", "a/b.jpg", "..\\win.ini", "..", ".", "bad\u0001name.jpg", "line\nbreak.jpg", new string('x', 256) + ".jpg", " ",
    };

    [Theory]
    [MemberData(nameof(BadFileNames))]
    public void ValidateOriginalName_PathSegmentsDotsControlCharsOrTooLong_Rejected(string name)
    {
        Assert.NotNull(AssetNames.ValidateOriginalName(name));
    }

    [Theory]
    [InlineData("photo.jpg")]
    [InlineData("Ünïcødé café (2).JPG")]
    [InlineData("..hidden.png")]
    public void ValidateOriginalName_OrdinaryFileNames_Accepted(string name)
    {
        Assert.Null(AssetNames.ValidateOriginalName(name));
    }

    [Theory]
    [InlineData("2026/11/photo.jpg", true)]
    [InlineData("a/../b.jpg", false)]
    [InlineData("a//b.jpg", false)]
    [InlineData("./b.jpg", false)]
    [InlineData("dir/bad\u0007.jpg", false)]
    public void ValidateUploadBlobName_SegmentsChecked(string blobName, bool valid)
    {
        Assert.Equal(valid, AssetNames.ValidateUploadBlobName(blobName) is null);
    }

    [Fact]
    public void FromUpload_SameVersionSameId_NewVersionNewId_InstanceIdShortPrintableAscii()
    {
        // Arrange
        var longName = string.Join('/', Enumerable.Repeat("very-long-folder-name", 40)) + "/photo.jpg";

        // Act
        var id = AssetIds.FromUpload("uploads", longName, "\"0x8DC1\"");
        var sameQuotedDifferently = AssetIds.FromUpload("uploads", longName, "0x8DC1");
        var newVersion = AssetIds.FromUpload("uploads", longName, "\"0x8DC2\"");
        var instanceId = AssetIds.InstanceId(id);

        // Assert
        Assert.Equal(id, sameQuotedDifferently);
        Assert.NotEqual(id, newVersion);
        Assert.True(AssetIds.IsValid(id));
        Assert.InRange(instanceId.Length, 1, 100);
        Assert.All(instanceId, c => Assert.InRange(c, '!', '~'));
    }

    [Theory]
    [MemberData(nameof(BadFileNames))]
    public async Task UploadAsset_NameThatIsNotAPlainFileName_400AndNothingStored(string name)
    {
        // Arrange
        await using var assets = await AssetsTestApp.StartAsync();
        var request = TestHttp.Request(
            "POST", $"/api/assets?name={Uri.EscapeDataString(name)}", new MemoryStream(TestImages.Jpeg(10, 10)), "image/jpeg");

        // Act
        var response = await (await assets.App.CreateFunction<UploadAssetHttp>().UploadAsset(request, assets.Client, default))
            .ExecuteAsync(request);

        // Assert
        Assert.Equal(StatusCodes.Status400BadRequest, response.StatusCode);
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.HttpUploads));
    }

    [Fact]
    public async Task AssetRoutes_IdOrRenditionNameShapedLikeAPath_404WithoutTouchingStorage()
    {
        // Arrange: a real asset whose blobs a crafted id or name would reach if it were used as a path.
        await using var assets = await AssetsTestApp.StartAsync();
        var (assetId, _) = await assets.UploadAndProcessAsync("photo.jpg", TestImages.Jpeg(300, 200));
        string[] badIds = ["..", $"{assetId}/..", $"../{assetId}", assetId.ToUpperInvariant(), $"{assetId}%2F..", ""];
        string[] badNames = ["../jpeg-200", "jpeg-200.jpg", "JPEG-200", "..%2Fjpeg-200", $"../../{assets.Store.Originals.Name}/{assetId}"];

        // Act
        List<int> statuses = [];
        foreach (var id in badIds)
        {
            statuses.Add((await AssetHttpTests.GetAssetAsync(assets, id)).StatusCode);
            statuses.Add((await AssetHttpTests.GetRenditionAsync(assets, id, "jpeg-200")).StatusCode);
            var delete = TestHttp.Request("DELETE", "/api/assets/x");
            statuses.Add((await (await assets.App.CreateFunction<DeleteAssetHttp>().DeleteAsset(delete, id, assets.Client, default)).ExecuteAsync(delete)).StatusCode);
        }

        foreach (var name in badNames)
        {
            statuses.Add((await AssetHttpTests.GetRenditionAsync(assets, assetId, name)).StatusCode);
        }

        // Assert
        Assert.All(statuses, s => Assert.Equal(StatusCodes.Status404NotFound, s));
        Assert.Equal(nameof(AssetStatus.Ready), (await assets.RecordAsync(assetId)).Status);
        Assert.Equal([assetId], await AssetsTestApp.BlobNamesAsync(assets.Store.Originals));
        Assert.Equal(6, (await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions)).Count);
    }

    [Fact]
    public async Task AssetPipeline_UploadBlobNameWithControlCharacter_FailedAndQuarantinedUnderItsId()
    {
        // Arrange
        await using var assets = await AssetsTestApp.StartAsync();

        // Act
        var (assetId, _) = await assets.UploadAndProcessAsync("inbox/bad\u0007name.jpg", TestImages.Jpeg(300, 200));

        // Assert
        var record = await assets.RecordAsync(assetId);
        Assert.Equal(nameof(AssetStatus.Failed), record.Status);
        Assert.Contains("control characters", record.FailureReason, StringComparison.Ordinal);
        Assert.Equal([assetId], await AssetsTestApp.BlobNamesAsync(assets.Store.Quarantine));
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions));
    }
}
