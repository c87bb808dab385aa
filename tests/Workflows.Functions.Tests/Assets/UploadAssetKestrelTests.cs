using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Workflows.Assets.Http;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>
/// Uploads through a real Kestrel server, the way the Functions host forwards them to the worker's own Kestrel (ASP.NET
/// Core integration): there the server's request-body limit applies before the function's own, which a test with a
/// <c>DefaultHttpContext</c> cannot see. It runs alone: Kestrel drains the rest of an oversize body after the 413 for at
/// most 5 seconds of wall-clock time, and on a starved machine (CI's parallel burst) it reset the connection instead.
/// </summary>
[Collection(nameof(Reliability.ReliabilityRunsAlone))]
public sealed class UploadAssetKestrelTests
{
    [Fact]
    public async Task UploadAsset_BodiesUpToTheDocumentedLimitThroughKestrel_AcceptedAndBiggerOnes413ProblemJson()
    {
        // Arrange: the documented limit (sample settings: 50 MiB); the bodies start like a JPEG, so only size decides.
        await using var assets = await AssetsTestApp.StartAsync();
        Assert.Equal(50L << 20, assets.Options.MaxUploadBytes);
        await using var server = await UploadServer.StartAsync(assets);
        using var client = new HttpClient { BaseAddress = server.Address, Timeout = Deadline.ForClient(TimeSpan.FromMinutes(5)) };

        // Act
        var (mb35, atLimit) = (await PostAsync(client, 35_000_000, chunked: true), await PostAsync(client, 50L << 20, chunked: false));
        var (mb60, mb60Chunked) = (await PostAsync(client, 60_000_000, chunked: false), await PostAsync(client, 60_000_000, chunked: true));

        // Assert
        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (mb35.Status, atLimit.Status));
        foreach (var tooLarge in new[] { mb60, mb60Chunked })
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.Status);
            Assert.Equal("application/problem+json", tooLarge.ContentType);
            Assert.Contains("52428800 bytes", tooLarge.Body, StringComparison.Ordinal);
        }

        foreach (var accepted in new[] { mb35, atLimit })
        {
            await assets.WaitAsync(System.Text.Json.JsonDocument.Parse(accepted.Body).RootElement.GetProperty("id").GetString()!);
        }
    }

    private static async Task<(HttpStatusCode Status, string? ContentType, string Body)> PostAsync(HttpClient client, long bytes, bool chunked)
    {
        using var response = await client.PostAsync("/api/assets?name=large.jpg", new JpegLikeContent(bytes, chunked));
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A JPEG start-of-image marker followed by zeros, streamed with or without a Content-Length.</summary>
    private sealed class JpegLikeContent : HttpContent
    {
        private readonly long _length;
        private readonly bool _chunked;

        public JpegLikeContent(long length, bool chunked)
        {
            (_length, _chunked) = (length, chunked);
            Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new byte[1 << 20];
            (chunk[0], chunk[1], chunk[2], chunk[3]) = (0xFF, 0xD8, 0xFF, 0xE0);
            for (long left = _length; left > 0; left -= chunk.Length)
            {
                await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(left, chunk.Length)));
                chunk[0] = chunk[1] = chunk[2] = chunk[3] = 0;
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _length;
            return !_chunked;
        }
    }

    /// <summary>
    /// A Kestrel server on a loopback port built from the app's composition root (as the worker's is), routing
    /// <c>POST /api/assets</c> to <see cref="UploadAssetHttp.UploadAsset"/> and executing its result as the integration does.
    /// </summary>
    private sealed class UploadServer(WebApplication app, Uri address) : IAsyncDisposable
    {
        public Uri Address { get; } = address;

        public static async Task<UploadServer> StartAsync(AssetsTestApp assets)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            FileLoggerProvider.AddIfRequested(builder.Logging);
            builder.Configuration.AddInMemoryCollection(assets.App.Configuration.AsEnumerable());
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            builder.Services.AddWorkflows(builder.Configuration);
            builder.Services.AddMvcCore();
            var app = builder.Build();
            app.MapPost("/api/assets", async context =>
            {
                var function = ActivatorUtilities.CreateInstance<UploadAssetHttp>(context.RequestServices);
                var result = await function.UploadAsset(context.Request, assets.Client, context.RequestAborted);
                await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            return new UploadServer(app, new Uri(address));
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
