using System.Text.Json;
using Workflows.Observability;
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
}
