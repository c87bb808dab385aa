using System.Net;
using Microsoft.DurableTask.Client;
using Workflows.Assets;
using Workflows.Assets.Http;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>The README "Assets" walk-through, request by request, with the sample settings (SAS redirect on).</summary>
public sealed class AssetsReadmeWalkThroughTests
{
    [Fact]
    public async Task ReadmeWalkThrough_UploadWatchFetchDropDeleteReprocess_AnswersAsDocumented()
    {
        // Arrange
        await using var assets = await AssetsTestApp.StartAsync(s => s["Assets:RedirectRenditionsWithSas"] = "true");
        var beach = TestImages.JpegWithExif(1600, 1200, TestExif.PhonePortrait);

        // 1. Upload over HTTP
        var upload = TestHttp.Request("POST", "/api/assets?name=beach.jpg", new MemoryStream(beach), "image/jpeg");
        var accepted = await (await assets.App.CreateFunction<UploadAssetHttp>().UploadAsset(upload, assets.Client, default)).ExecuteAsync(upload);
        Assert.Equal(202, accepted.StatusCode);
        var id = accepted.Json<AssetAccepted>()!.Id;

        // 2. Watch the status until Ready
        await assets.WaitAsync(id);
        var view = (await AssetHttpTests.GetAssetAsync(assets, id)).Json<AssetView>()!;
        Assert.Equal((nameof(AssetStatus.Ready), 1200, 1600), (view.Status, view.Width, view.Height));
        Assert.Equal("Contoso", view.Metadata.CameraMake);
        Assert.Contains(view.Renditions, r => r.Name == "webp-800");

        // 3. Fetch a rendition (curl -L follows the redirect)
        var redirect = await AssetHttpTests.GetRenditionAsync(assets, id, "webp-800");
        Assert.Equal(302, redirect.StatusCode);
        using (var http = new HttpClient())
        using (var fetched = await http.GetAsync(new Uri(redirect.Headers.Location.ToString())))
        {
            Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
            using var decoded = TestImages.Decode(await fetched.Content.ReadAsByteArrayAsync());
            Assert.Equal((600, 800), (decoded.Width, decoded.Height)); // portrait: 800 on the longest edge
        }

        // Or drop a file into the uploads container
        var (dropped, _) = await assets.UploadAndProcessAsync("holiday/IMG_0001.jpg", TestImages.Jpeg(640, 480));
        Assert.Equal(("IMG_0001.jpg", nameof(AssetStatus.Ready)), ((await assets.RecordAsync(dropped)).OriginalName, (await assets.RecordAsync(dropped)).Status));
        Assert.Equal(2, await assets.ReadyMessageCountAsync());

        // Delete it again
        var delete = TestHttp.Request("DELETE", $"/api/assets/{id}");
        Assert.Equal(204, (await (await assets.App.CreateFunction<DeleteAssetHttp>().DeleteAsset(delete, id, assets.Client, default)).ExecuteAsync(delete)).StatusCode);

        // Re-render everything
        var reprocess = TestHttp.Request("POST", "/api/assets/reprocess");
        var started = await (await assets.App.CreateFunction<ReprocessAssetsHttp>().ReprocessAssets(reprocess, assets.Client, default)).ExecuteAsync(reprocess);
        Assert.Equal(202, started.StatusCode);
        var done = await assets.App.WaitForCompletionAsync(started.Json<ReprocessAccepted>()!.InstanceId, AssetsTestApp.Timeout);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal((1, 1), (done.ReadOutputAs<BulkReprocessProgress>()!.Processed, done.ReadOutputAs<BulkReprocessProgress>()!.Succeeded));
    }
}
