using System.Net;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.WebConsole;

/// <summary>How the console's files are served: over the real HTTP server, without a browser.</summary>
[Collection(ConsoleTests.Name)]
public sealed class ConsoleFilesTests(ConsoleFixture console)
{
    [Fact]
    public async Task WebConsole_WithoutTrailingSlash_RedirectsToTheFolder()
    {
        // Arrange
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = console.Api.Server.BaseAddress };

        // Act
        using var response = await http.GetAsync("api/console");

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/api/console/", response.Headers.Location?.ToString());
    }

    [Theory]
    [InlineData("", "text/html")]
    [InlineData("app.js", "text/javascript")]
    [InlineData("console.css", "text/css")]
    public async Task WebConsole_File_ServedWithItsTypeAndAStrictPolicy(string path, string contentType)
    {
        // Act
        using var response = await console.Api.Http.GetAsync($"console/{path}");

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.NotNull(response.Headers.ETag);
    }

    [Fact]
    public async Task WebConsole_SameETag_Returns304()
    {
        // Arrange
        using var first = await console.Api.Http.GetAsync("console/app.js");
        using var request = new HttpRequestMessage(HttpMethod.Get, "console/app.js");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        // Act
        using var second = await console.Api.Http.SendAsync(request);

        // Assert
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Theory]
    [InlineData("missing.js")]
    [InlineData("..%2F..%2Fappsettings.json")]
    public async Task WebConsole_UnknownOrTraversingPath_Returns404(string path)
    {
        // Act + Assert
        await HttpTestApp.AssertProblemAsync(await console.Api.Http.GetAsync($"console/{path}"), 404);
    }
}
