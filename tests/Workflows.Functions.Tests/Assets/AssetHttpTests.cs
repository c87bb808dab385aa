using System.Net;
using Microsoft.AspNetCore.Http;
using Workflows.Assets;
using Workflows.Assets.Http;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>The HTTP surface: upload, status, rendition download (delete: <see cref="AssetDeleteTests"/>).</summary>
public sealed class AssetHttpTests
{
    public static TheoryData<string, string> Formats => new()
    {
        { "beach.jpg", "image/jpeg" },
        { "chart.png", "image/png" },
        { "logo.webp", "image/webp" },
        { "scan.tiff", "image/tiff" },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task UploadAsset_ImageOverHttp_AcceptedThenReadyWithDownloadableRenditions(string name, string contentType)
    {
        // Arrange
        await using var assets = await AssetsTestApp.StartAsync();
        var image = contentType switch
        {
            "image/png" => TestImages.Png(1000, 500),
            "image/webp" => TestImages.Webp(1000, 500),
            "image/tiff" => TestImages.Tiff(1000, 500, new TestTiff(TestTiffCompression.Deflate, Predictor: true)),
            _ => TestImages.Jpeg(1000, 500),
        };
        var upload = TestHttp.Request("POST", $"/api/assets?name={name}", new MemoryStream(image), contentType);

        // Act
        var accepted = await (await assets.App.CreateFunction<UploadAssetHttp>().UploadAsset(upload, assets.Client, default))
            .ExecuteAsync(upload);
        var body = accepted.Json<AssetAccepted>()!;
        var processing = await GetAssetAsync(assets, body.Id);
        await assets.WaitAsync(body.Id);
        var ready = await GetAssetAsync(assets, body.Id);

        // Assert
        Assert.Equal(StatusCodes.Status202Accepted, accepted.StatusCode);
        Assert.Equal($"http://localhost:7071/api/assets/{body.Id}", body.StatusUri);
        Assert.Equal(body.StatusUri, accepted.Headers.Location.ToString());
        Assert.Equal(StatusCodes.Status200OK, processing.StatusCode);
        var view = ready.Json<AssetView>()!;
        Assert.Equal((nameof(AssetStatus.Ready), name, contentType), (view.Status, view.OriginalName, view.ContentType));
        Assert.Equal(6, view.Renditions.Count);
        var jpeg800 = view.Renditions.Single(r => r.Name == "jpeg-800");
        Assert.Equal($"{body.StatusUri}/renditions/jpeg-800", jpeg800.Url);

        var rendition = await GetRenditionAsync(assets, body.Id, "jpeg-800");
        Assert.Equal(("image/jpeg", StatusCodes.Status200OK), (rendition.ContentType, rendition.StatusCode));
        using var decoded = TestImages.Decode(rendition.Body);
        Assert.Equal((800, 400), (decoded.Width, decoded.Height));
    }

    [Fact]
    public async Task UploadAsset_ImageOverHttp_StoredWhereTheBlobTriggerDoesNotLookAndRecordedWithSizeAndTime()
    {
        // Arrange
        await using var assets = await AssetsTestApp.StartAsync();
        var image = TestImages.Jpeg(300, 200);
        var upload = TestHttp.Request("POST", "/api/assets?name=beach.jpg", new MemoryStream(image), "image/jpeg");

        // Act
        var accepted = await (await assets.App.CreateFunction<UploadAssetHttp>().UploadAsset(upload, assets.Client, default))
            .ExecuteAsync(upload);
        var id = accepted.Json<AssetAccepted>()!.Id;
        var instance = await assets.WaitAsync(id);

        // Assert: the pipeline took it from the HTTP uploads container, which the blob trigger does not watch.
        var input = instance.ReadInputAs<ProcessAssetRequest>()!;
        Assert.Equal(assets.Options.HttpUploadsContainer, input.UploadContainer);
        Assert.NotEqual(assets.Options.UploadsContainer, input.UploadContainer);
        var record = await assets.RecordAsync(id);
        Assert.Equal((nameof(AssetStatus.Ready), image.LongLength), (record.Status, record.SizeBytes));
        Assert.InRange(record.UploadedAt!.Value, DateTimeOffset.UtcNow.AddMinutes(-5), record.ProcessingStartedAt!.Value.AddSeconds(1));
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.HttpUploads));
    }

    [Fact]
    public async Task GetRendition_SasRedirectConfigured_RedirectsToShortLivedReadOnlyUrlOfThatBlob()
    {
        // Arrange
        await using var assets = await AssetsTestApp.StartAsync(s => s["Assets:RedirectRenditionsWithSas"] = "true");
        var (assetId, _) = await assets.UploadAndProcessAsync("photo.jpg", TestImages.Jpeg(600, 400));

        // Act
        var response = await GetRenditionAsync(assets, assetId, "webp-200");

        // Assert
        Assert.Equal(StatusCodes.Status302Found, response.StatusCode);
        var location = new Uri(response.Headers.Location.ToString());
        var query = System.Web.HttpUtility.ParseQueryString(location.Query);
        Assert.Equal("r", query["sp"]);
        Assert.NotNull(query["sig"]);
        Assert.True(DateTimeOffset.Parse(query["se"]!, System.Globalization.CultureInfo.InvariantCulture) <= DateTimeOffset.UtcNow.AddMinutes(6));
        Assert.EndsWith($"/{assets.Store.Renditions.Name}/{assetId}/webp-200.webp", location.AbsolutePath, StringComparison.Ordinal);
        using var client = new HttpClient();
        using var fetched = await client.GetAsync(location);
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.Equal("image/webp", fetched.Content.Headers.ContentType?.MediaType);
    }

    internal static async Task<TestHttpResponse> GetAssetAsync(AssetsTestApp assets, string id)
    {
        var request = TestHttp.Request("GET", $"/api/assets/{id}");
        return await (await assets.App.CreateFunction<AssetQueryHttp>().GetAsset(request, id, default)).ExecuteAsync(request);
    }

    internal static async Task<TestHttpResponse> GetRenditionAsync(AssetsTestApp assets, string id, string name)
    {
        var request = TestHttp.Request("GET", $"/api/assets/{id}/renditions/{name}");
        return await (await assets.App.CreateFunction<AssetQueryHttp>().GetRendition(request, id, name, default)).ExecuteAsync(request);
    }
}
