using System.Net.Http.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets.Storage;
using Workflows.Assets.Http;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

public sealed class RerenderAssetTests : IAsyncLifetime
{
    private HttpTestApp _api = null!;

    public async Task InitializeAsync() => _api = await HttpTestApp.StartAsync(s => AssetsTestApp.Configure(s));

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task RerenderAsset_ReadyAsset_RendersAgainAndRecordsWhen()
    {
        // Arrange
        var id = await _api.UploadReadyAsync("photo.jpg");

        // Act
        using var response = await _api.PostAsync($"assets/{id}/rerender");
        var accepted = await response.Content.ReadFromJsonAsync<RerenderAccepted>(HttpTestApp.Json);
        var finished = await _api.App.WaitForCompletionAsync(accepted!.InstanceId);
        var asset = await _api.GetAsync<AssetView>($"assets/{id}");

        // Assert
        Assert.Equal(202, (int)response.StatusCode);
        Assert.Equal($"asset-{id}:rerender", accepted.InstanceId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, finished.RuntimeStatus);
        Assert.NotNull(asset.ReprocessedAt);
        Assert.Null(asset.ReprocessError);
        Assert.Equal(6, asset.Renditions.Count);
    }

    [Fact]
    public async Task RerenderAsset_FailedUnknownOrMalformed_Returns409Or404()
    {
        // Arrange
        var failed = await _api.UploadAsync("broken.jpg", TestImages.Truncated(TestImages.Jpeg(64, 48)));
        await _api.WaitForAssetAsync(failed);

        // Act + Assert
        await HttpTestApp.AssertProblemAsync(await _api.PostAsync($"assets/{failed}/rerender"), 409);
        await HttpTestApp.AssertProblemAsync(await _api.PostAsync($"assets/{new string('a', 32)}/rerender"), 404);
        await HttpTestApp.AssertProblemAsync(await _api.PostAsync("assets/not-an-id/rerender"), 404);
    }

    [Fact]
    public async Task RerenderAsset_ReadyAssetWhoseDeleteIsHalfDone_Returns404LikeADeletedAsset()
    {
        // Arrange: a delete closed the Ready asset to renditions, then failed before removing its record.
        var id = await _api.UploadReadyAsync("photo.jpg");
        await _api.App.Services.GetRequiredService<AssetStore>().CloseRenditionsAsync(id, default);

        // Act + Assert: not accepted (a re-render would drop its result), and no re-render instance started.
        await HttpTestApp.AssertProblemAsync(await _api.PostAsync($"assets/{id}/rerender"), 404);
        Assert.Null(await _api.App.Client.GetInstanceAsync($"asset-{id}:rerender"));
    }
}
