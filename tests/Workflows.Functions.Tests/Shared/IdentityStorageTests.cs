using System.Web;
using Azure;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets;
using Workflows.Assets.Http;
using Workflows.Assets.Storage;
using Workflows.Observability;
using Workflows.Orders;
using Workflows.Orders.Http;
using Workflows.Orders.Storage;
using Workflows.Tests.Assets;
using Workflows.Tests.Orders;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Shared;

/// <summary>
/// <c>WorkflowsStorage</c> and <c>AzureWebJobsStorage</c> in identity form (service URIs, no key) against an Azurite that
/// accepts only bearer tokens over HTTPS: the app's own clients and the durable backend (the task hub) both run on it.
/// </summary>
public sealed class IdentityStorageTests
{
    [Fact]
    public async Task IdentitySettings_OrderAndHttpUpload_CompleteOverOAuthWithUserDelegationLinks()
    {
        // Arrange
        var oauth = await OAuthAzurite.GetAsync();
        var credential = new TestTokenCredential();
        await using var app = await PersistentTestApp.StartAsync(
            settings =>
            {
                OrdersTestApp.Configure(settings);
                AssetsTestApp.Configure(settings);
                settings["Assets:RedirectRenditionsWithSas"] = "true";
                oauth.UseIdentitySettings(settings);
            },
            services => oauth.UseCredential(services, credential),
            backend => backend.StorageAccountClientProvider = oauth.TaskHubClients(credential));
        await app.Services.GetRequiredService<CatalogueStore>().UpsertAsync(new Product("KB-100", "Keyboard", 89.90m, "EUR"), default);
        await app.Services.GetRequiredService<StockStore>().AddIfMissingAsync("KB-100", "ams", 5, default);
        await app.Services.GetRequiredService<AssetStore>().EnsureCreatedAsync();

        // Act: one order and one upload through their HTTP functions; then follow a rendition link without a token.
        var placeOrder = TestHttp.Request("POST", "/api/orders", OrderBody.Of(("KB-100", 1)));
        var orderId = (await (await app.CreateFunction<StartOrderHttp>().StartOrder(placeOrder, app.Client)).ExecuteAsync(placeOrder))
            .Json<OrderAccepted>()!.Id;
        var order = await app.WaitForCompletionAsync(orderId);
        var upload = TestHttp.Request("POST", "/api/assets?name=photo.jpg", new MemoryStream(TestImages.Jpeg(800, 600)), "image/jpeg");
        var assetId = (await (await app.CreateFunction<UploadAssetHttp>().UploadAsset(upload, app.Client, default)).ExecuteAsync(upload))
            .Json<AssetAccepted>()!.Id;
        var pipeline = await app.WaitForCompletionAsync(AssetIds.InstanceId(assetId));
        var getRendition = TestHttp.Request("GET", $"/api/assets/{assetId}/renditions/jpeg-200");
        var redirect = await (await app.CreateFunction<AssetQueryHttp>().GetRendition(getRendition, assetId, "jpeg-200", default))
            .ExecuteAsync(getRendition);
        var link = new Uri(redirect.Headers.Location.ToString());
        using var anonymous = new HttpClient(oauth.CreateHandler());
        using var image = TestImages.Decode(await anonymous.GetByteArrayAsync(link));

        // Assert
        Assert.Equal(OrderStatus.Completed, order.ReadOutputAs<OrderOutcome>()!.Status);
        Assert.Equal(AssetStatus.Ready, pipeline.ReadOutputAs<AssetOutcome>()!.Status);
        Assert.True(credential.TokensIssued > 0);
        var sas = HttpUtility.ParseQueryString(link.Query);
        Assert.Equal(("https", "https", "r"), (link.Scheme, sas["spr"], sas["sp"]));
        Assert.NotNull(sas["skoid"]); // signed with a user-delegation key, not an account key
        Assert.Equal(200, image.Width);
    }

    [Fact]
    public async Task IdentitySettings_QueueUriMissing_StartupFailsNamingTheSetting()
    {
        // Arrange
        var oauth = await OAuthAzurite.GetAsync();

        // Act
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(settings =>
        {
            oauth.UseIdentitySettings(settings);
            settings.Remove("WorkflowsStorage:queueServiceUri");
        }));

        // Assert
        Assert.Contains("'WorkflowsStorage__queueServiceUri' is missing", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdentitySettings_WrongCredential_HealthIs503AndStorageCallsNameTheSetting()
    {
        // Arrange
        var oauth = await OAuthAzurite.GetAsync();
        var logs = new LogCapture();
        await using var app = await TestApp.StartAsync(
            settings =>
            {
                AssetsTestApp.Configure(settings);
                oauth.UseIdentitySettings(settings);
            },
            services =>
            {
                oauth.UseCredential(services, TestTokenCredential.WrongAudience());
                logs.AddTo(services);
            });

        // Act
        var firstCall = await Assert.ThrowsAsync<RequestFailedException>(
            () => app.Services.GetRequiredService<AssetStore>().EnsureCreatedAsync());
        var request = TestHttp.Request("GET", "/api/health");
        var health = await (await app.CreateFunction<HealthHttp>().GetHealth(request, app.Client, default)).ExecuteAsync(request);

        // Assert: the caller learns only which check failed; the log and the exception say what to fix.
        Assert.Equal((503, "application/problem+json"), (health.StatusCode, health.ContentType?.Split(';')[0]));
        Assert.Contains("\"storage\":\"Unhealthy\"", health.Text, StringComparison.Ordinal);
        Assert.Contains("\"taskHub\":\"Healthy\"", health.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("WorkflowsStorage", health.Text, StringComparison.Ordinal);
        Assert.Contains(logs.Lines, line => line.Message.Contains("'WorkflowsStorage__credential'", StringComparison.Ordinal));
        Assert.Equal(403, firstCall.Status);
        Assert.Contains("'WorkflowsStorage__clientId'", firstCall.Message, StringComparison.Ordinal);
    }
}
