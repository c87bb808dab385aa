using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Workflows.Assets;
using Workflows.Assets.Http;
using Workflows.Assets.Imaging;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>What <c>POST /api/assets</c> accepts: size limit with and without Content-Length, media types, streaming.</summary>
public sealed class UploadAssetLimitsTests
{
    [Fact]
    public async Task UploadAsset_BodyOverSizeLimit_413AndNothingStored()
    {
        // Arrange
        await using var assets = await AssetsTestApp.StartAsync(s => s["Assets:MaxUploadBytes"] = "20000");
        var image = TestImages.PhotoJpeg(400, 400);
        Assert.True(image.Length > 20_000);
        var declared = TestHttp.Request("POST", "/api/assets", new MemoryStream(image), "image/jpeg");
        var chunked = TestHttp.Request("POST", "/api/assets", new ForwardOnlyStream(image), "image/jpeg");
        var http = assets.App.CreateFunction<UploadAssetHttp>();

        // Act
        var byLength = await (await http.UploadAsset(declared, assets.Client, default)).ExecuteAsync(declared);
        var byCounting = await (await http.UploadAsset(chunked, assets.Client, default)).ExecuteAsync(chunked);

        // Assert
        Assert.Equal(StatusCodes.Status413PayloadTooLarge, byLength.StatusCode);
        Assert.Equal(StatusCodes.Status413PayloadTooLarge, byCounting.StatusCode);
        Assert.StartsWith("application/problem+json", byCounting.ContentType, StringComparison.Ordinal);
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.HttpUploads));
    }

    [Fact]
    public async Task UploadAsset_ChunkedBodyOfSeveralBlocks_StreamedWholeAndProcessed()
    {
        // Arrange: a ~5.8 MB BMP without Content-Length, so the upload streams it in more than one 4 MB block.
        await using var assets = await AssetsTestApp.StartAsync();
        var bitmap = TestImages.Bmp(1400, 1400);
        Assert.True(bitmap.Length > 4 * 1024 * 1024);
        var request = TestHttp.Request("POST", "/api/assets?name=scan.bmp", new ForwardOnlyStream(bitmap), "image/bmp");

        // Act
        var accepted = await (await assets.App.CreateFunction<UploadAssetHttp>().UploadAsset(request, assets.Client, default))
            .ExecuteAsync(request);
        var id = accepted.Json<AssetAccepted>()!.Id;
        await assets.WaitAsync(id);

        // Assert
        var record = await assets.RecordAsync(id);
        Assert.Equal((nameof(AssetStatus.Ready), "image/bmp", bitmap.LongLength), (record.Status, record.ContentType, record.SizeBytes));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bitmap)), record.Sha256);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/octet-stream")]
    [InlineData("image/svg+xml")]
    [InlineData("application/pdf")]
    public async Task UploadAsset_UnsupportedContentType_415(string contentType)
    {
        // Arrange
        await using var assets = await AssetsTestApp.StartAsync();
        var request = TestHttp.Request("POST", "/api/assets", new MemoryStream(TestImages.Jpeg(10, 10)), contentType);

        // Act
        var response = await (await assets.App.CreateFunction<UploadAssetHttp>().UploadAsset(request, assets.Client, default))
            .ExecuteAsync(request);

        // Assert
        Assert.Equal(StatusCodes.Status415UnsupportedMediaType, response.StatusCode);
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.HttpUploads));
    }

    [Theory]
    [InlineData("", false, StatusCodes.Status400BadRequest, "empty")]
    [InlineData("", true, StatusCodes.Status400BadRequest, "empty")]
    [InlineData("Dear diary, today I uploaded a text file instead of a photo.", false, StatusCodes.Status415UnsupportedMediaType, "detected: text")]
    [InlineData("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj", true, StatusCodes.Status415UnsupportedMediaType, "detected: PDF")]
    public async Task UploadAsset_EmptyOrNotAnImageBody_AnsweredAtOnceAndNothingStored(string body, bool chunked, int status, string detailMentions)
    {
        // Arrange: declared as a JPEG, which it is not.
        await using var assets = await AssetsTestApp.StartAsync();
        var bytes = System.Text.Encoding.UTF8.GetBytes(body);
        var request = TestHttp.Request("POST", "/api/assets", chunked ? new ForwardOnlyStream(bytes) : new MemoryStream(bytes), "image/jpeg");

        // Act
        var response = await (await assets.App.CreateFunction<UploadAssetHttp>().UploadAsset(request, assets.Client, default))
            .ExecuteAsync(request);

        // Assert
        Assert.Equal(status, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        Assert.Contains(detailMentions, response.Json<ProblemDetails>()!.Detail, StringComparison.Ordinal);
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.HttpUploads));
        Assert.Empty(await assets.AllRecordsAsync());
    }

    [Fact]
    public async Task UploadAsset_NotAnImageDeclaredAsEachAcceptedType_415FromTheFirstBytesAndNothingStored()
    {
        // Arrange: a 1 MB PDF, streamed, declared as each type the endpoint accepts.
        await using var assets = await AssetsTestApp.StartAsync();
        byte[] pdf = [.. "%PDF-1.7\n%\u00e2\u00e3\n"u8, .. new byte[1 << 20]];

        // Act
        List<(string Type, int Status, long Read)> answers = [];
        foreach (string contentType in ImageFormats.UploadContentTypes.Keys)
        {
            var body = new ForwardOnlyStream(pdf);
            var request = TestHttp.Request("POST", "/api/assets", body, contentType);
            var response = await (await assets.App.CreateFunction<UploadAssetHttp>().UploadAsset(request, assets.Client, default)).ExecuteAsync(request);
            answers.Add((contentType, response.StatusCode, body.BytesRead));
        }

        // Assert
        Assert.Equal(16, answers.Count);
        Assert.All(answers, a => Assert.True(a.Status == StatusCodes.Status415UnsupportedMediaType && a.Read <= 4096, $"{a.Type}: {a.Status} after {a.Read} bytes"));
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.HttpUploads));
    }

    [Fact]
    public async Task UploadAsset_LargeBodyThatIsNotAnImage_AnsweredFromItsFirstBytesWithoutReadingTheRest()
    {
        // Arrange: 16 MB of text, streamed without a Content-Length.
        await using var assets = await AssetsTestApp.StartAsync();
        var body = new ForwardOnlyStream(System.Text.Encoding.ASCII.GetBytes(new string('a', 16 << 20)));
        var request = TestHttp.Request("POST", "/api/assets?name=notes.jpg", body, "image/jpeg");

        // Act
        var response = await (await assets.App.CreateFunction<UploadAssetHttp>().UploadAsset(request, assets.Client, default))
            .ExecuteAsync(request);

        // Assert
        Assert.Equal(StatusCodes.Status415UnsupportedMediaType, response.StatusCode);
        Assert.InRange(body.BytesRead, 1, 4096);
    }
}
