using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Observability;
using Workflows.Shared.Storage;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Observability;

public sealed class HealthTests
{
    [Fact]
    public async Task Health_StorageAndTaskHubReachable_Returns200WithVersionAndChecks()
    {
        // Arrange
        await using var app = await TestApp.StartAsync();
        var request = TestHttp.Request("GET", "/api/health");

        // Act
        var response = await (await app.CreateFunction<HealthHttp>().GetHealth(request, app.Client, default)).ExecuteAsync(request);

        // Assert
        Assert.Equal(200, response.StatusCode);
        var report = response.Json<HealthReport>()!;
        Assert.Equal(("Healthy", HealthHttp.Version), (report.Status, report.Version));
        Assert.Equal(new Dictionary<string, string> { ["storage"] = "Healthy", ["taskHub"] = "Healthy" }, report.Checks);
    }

    [Fact]
    public async Task Health_StorageUnreachable_Returns503NamingOnlyTheCheck()
    {
        // Arrange: storage on a port where nothing listens.
        var port = Azurite.FreePort();
        await using var app = await TestApp.StartAsync(settings => settings["WorkflowsStorage"] =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=AAAA;" +
            $"BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;");
        var request = TestHttp.Request("GET", "/api/health");

        // Act
        var response = await (await app.CreateFunction<HealthHttp>().GetHealth(request, app.Client, default)).ExecuteAsync(request);

        // Assert
        Assert.Equal((503, "application/problem+json"), (response.StatusCode, response.ContentType?.Split(';')[0]));
        using var body = JsonDocument.Parse(response.Body);
        Assert.Equal("Unhealthy", body.RootElement.GetProperty("checks").GetProperty("storage").GetString());
        Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("taskHub").GetString());
        Assert.DoesNotContain("127.0.0.1", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_CalledRepeatedlyWithinTenSeconds_ChecksStorageOnce()
    {
        // Arrange: the app's blob client counts container listings (only the health check lists containers); a clock
        // that moves only when the test moves it.
        var listings = new ContainerListings();
        var clock = new SettableClock();
        await using var app = await TestApp.StartAsync(services: services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddSingleton(sp =>
            {
                var options = new BlobClientOptions();
                options.AddPolicy(listings, HttpPipelinePosition.PerCall);
                return new BlobServiceClient(sp.GetRequiredService<IConfiguration>()[StorageRegistration.ConnectionName], options);
            });
        });

        // Act: ten requests, some concurrent, within the window; then one after it.
        async Task<int> GetAsync()
        {
            var request = TestHttp.Request("GET", "/api/health");
            return (await (await app.CreateFunction<HealthHttp>().GetHealth(request, app.Client, default)).ExecuteAsync(request)).StatusCode;
        }

        int[] within = [await GetAsync(), .. await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => GetAsync())), await GetAsync()];
        clock.Now += HealthProbe.CacheFor - TimeSpan.FromMilliseconds(1);
        within = [.. within, await GetAsync(), await GetAsync(), await GetAsync()];
        int checksWithin = listings.Count;
        clock.Now += TimeSpan.FromMilliseconds(1);
        await GetAsync();

        // Assert: one answer for the whole window (200, or 503 should a loaded test machine's storage take over 10 s).
        Assert.All(within, status => Assert.Equal(within[0], status));
        Assert.Equal((1, 2), (checksWithin, listings.Count));
    }

    private sealed class ContainerListings : HttpPipelinePolicy
    {
        private int _count;

        public int Count => _count;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Observe(message);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Observe(message);
            return ProcessNextAsync(message, pipeline);
        }

        private void Observe(HttpMessage message)
        {
            // List Containers: GET on the account itself with comp=list.
            var uri = message.Request.Uri;
            if (uri.Path.Trim('/').Split('/').Length == 1 && uri.Query.Contains("comp=list", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _count);
            }
        }
    }
}
