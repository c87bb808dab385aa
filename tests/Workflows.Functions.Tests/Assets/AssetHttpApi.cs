using System.Net.Http.Json;
using System.Text.Json;
using Workflows.Assets.Http;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>Uploading and watching assets through the real HTTP server.</summary>
internal static class AssetHttpApi
{
    /// <summary>POSTs the image to <c>/api/assets?name=…</c> (asserting 202) and returns the asset id.</summary>
    public static async Task<string> UploadAsync(this HttpTestApp api, string name, byte[] content, string contentType = "image/jpeg")
    {
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new(contentType);
        using var response = await api.Http.PostAsync($"assets?name={Uri.EscapeDataString(name)}", body);
        Assert.True((int)response.StatusCode == 202, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<AssetAccepted>(HttpTestApp.Json))!.Id;
    }

    /// <summary>Polls <c>GET /api/assets/{id}</c> until the asset is no longer Processing; returns it.</summary>
    public static Task<JsonElement> WaitForAssetAsync(this HttpTestApp api, string id) =>
        Poll.UntilAsync(
            $"asset {id} to leave Processing",
            AssetsTestApp.Timeout,
            _ => api.GetAsync<JsonElement>($"assets/{id}"),
            asset => asset.GetProperty("status").GetString() != "Processing");

    public static async Task<string> UploadReadyAsync(this HttpTestApp api, string name, byte[]? content = null)
    {
        var id = await api.UploadAsync(name, content ?? TestImages.Jpeg(64, 48));
        Assert.Equal("Ready", (await api.WaitForAssetAsync(id)).GetProperty("status").GetString());
        return id;
    }
}
