using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets;
using Workflows.Assets.Imaging;
using Workflows.Tests.TestSupport;
using Xunit.Abstractions;

namespace Workflows.Tests.Assets;

/// <summary>
/// What each rendition write costs, counted by the app's own blob client: a fresh asset's renditions are written
/// blind (<c>If-None-Match: *</c>) with no read of their properties; a write that finds the blob there (a repeated
/// execution, a re-render) reads its generation before writing over it, and so do the renditions after it.
/// </summary>
public sealed class RenditionWriteRequestTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Pipeline_FreshAsset_RenditionsWrittenWithoutAHeadEachThenARepeatReadsAndOverwrites()
    {
        // Arrange
        var requests = new RequestsUnder();
        await using var assets = await AssetsTestApp.StartAsync(services: s =>
            s.AddAzureClients(clients => clients.ConfigureDefaults(o => o.AddPolicy(requests, HttpPipelinePosition.PerCall))));
        requests.Path = "/" + assets.Options.RenditionsContainer + "/";

        // Act: the pipeline renders a fresh asset; then the same render runs again (a duplicate execution)
        var (assetId, instance) = await assets.UploadAndProcessAsync("photo.jpg", TestImages.Jpeg(640, 480));
        var fresh = requests.Take();
        var record = await assets.RecordAsync(assetId);
        var repeat = await assets.App.CreateFunction<RenditionActivities>()
            .RenderRenditions(new RenderRenditionsRequest(assetId, assets.App.Services.GetRequiredService<IAssetImaging>().Profile.Chains, record.Generation ?? 0), default);
        var repeated = requests.Take();

        // Assert: 6 renditions, one PUT each and no HEAD; the repeat finds the first there (409), so it reads each
        // (HEAD) and writes over it (If-Match) rather than send 5 more bodies to be refused
        output.WriteLine($"fresh: {string.Join(", ", fresh)}; repeat: {string.Join(", ", repeated)}");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal(nameof(AssetStatus.Ready), record.Status);
        Assert.Equal(6, fresh.Count(r => r.StartsWith("PUT 201", StringComparison.Ordinal)));
        Assert.Equal(0, fresh.Count(r => r.StartsWith("HEAD", StringComparison.Ordinal)));
        Assert.Null(repeat.Rejection);
        Assert.Equal(6, repeat.Renditions.Count);
        Assert.Equal(1, repeated.Count(r => r.StartsWith("PUT 409", StringComparison.Ordinal)));
        Assert.Equal(6, repeated.Count(r => r.StartsWith("HEAD 200", StringComparison.Ordinal)));
        Assert.Equal(6, repeated.Count(r => r.StartsWith("PUT 201", StringComparison.Ordinal)));
        Assert.Equal(13, repeated.Count);
        Assert.Equal(6, (await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions)).Count);
    }

    [Fact]
    public async Task Pipeline_FirstRenditionWriteMadeItsAnswerLost_SdkRetryFindsItThereAndWritesOverItsOwn()
    {
        // Arrange: the first rendition PUT reaches storage and its answer is lost; the SDK retries the same blind PUT
        var fault = new StorageFault();
        var requests = new RequestsUnder();
        await using var assets = await AssetsTestApp.StartAsync(services: s =>
        {
            fault.InjectIntoAppStorage(s);
            s.AddAzureClients(clients => clients.ConfigureDefaults(o => o.AddPolicy(requests, HttpPipelinePosition.PerCall)));
        });
        var path = "/" + assets.Options.RenditionsContainer + "/";
        requests.Path = path;
        fault.FailNext(r => r.Method == RequestMethod.Put && r.Uri.Path.Contains(path, StringComparison.Ordinal), 408);

        // Act
        var (assetId, instance) = await assets.UploadAndProcessAsync("photo.jpg", TestImages.Jpeg(640, 480));
        var seen = requests.Take();

        // Assert: the retry's 409 is this run's own write: read (HEAD, its generation) and written over, not a failure
        output.WriteLine(string.Join(", ", seen));
        Assert.Equal(1, fault.Injected);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal(nameof(AssetStatus.Ready), (await assets.RecordAsync(assetId)).Status);
        Assert.Equal(["PUT 409", "HEAD 200", "PUT 201"], seen.Take(3));
        Assert.Equal(6, (await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions)).Count);
    }

    /// <summary>"METHOD status" of every request the app's blob clients send under <see cref="Path"/>.</summary>
    private sealed class RequestsUnder : ObservingPolicy
    {
        private ConcurrentQueue<string> _seen = new();

        public string? Path { get; set; }

        public List<string> Take() => [.. Interlocked.Exchange(ref _seen, new ConcurrentQueue<string>())];

        protected override void Observe(HttpMessage message)
        {
            if (Path is { } path && message.Request.Uri.Path.Contains(path, StringComparison.Ordinal) && message.HasResponse)
            {
                _seen.Enqueue($"{message.Request.Method} {message.Response.Status}");
            }
        }
    }
}
