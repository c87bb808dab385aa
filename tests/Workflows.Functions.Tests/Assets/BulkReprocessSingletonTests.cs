using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets;
using Workflows.Assets.Http;
using Workflows.Assets.Imaging;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>Bulk reprocess runs one at a time: a second request while one runs is refused, a later one is not.</summary>
public sealed class BulkReprocessSingletonTests
{
    [Fact]
    public async Task ReprocessAssets_RequestedAgainWhileRunning_409ThenANewRunOnceFinished()
    {
        // Arrange: a Ready asset; the first run's rendering waits until the test lets it go, so it is surely running.
        var gate = new RenderGate();
        await using var assets = await AssetsTestApp.StartAsync(
            s => (s["Imaging:JpegSizes"], s["Imaging:WebpSizes"]) = ("32", ""),
            services => services.AddSingleton<IAssetImaging>(sp => gate.Wrap(ActivatorUtilities.CreateInstance<AssetImaging>(sp))));
        var id = AssetIds.FromUpload("seed", "asset.png", "0x1");
        await BulkReprocessTests.SeedReadyAssetAsync(assets.Store, id, TestImages.Png(48, 32), default);
        var http = assets.App.CreateFunction<ReprocessAssetsHttp>();

        // Act
        var first = await PostAsync(http, assets);
        await gate.Entered.Task.WithinAsync(AssetsTestApp.Timeout);
        var whileRunning = await Task.WhenAll(PostAsync(http, assets), PostAsync(http, assets));
        gate.Release.SetResult();
        var firstRun = await assets.App.WaitForCompletionAsync(ReprocessAssetsHttp.InstanceId, AssetsTestApp.Timeout);
        var firstReprocessedAt = (await assets.RecordAsync(id)).ReprocessedAt;
        var again = await PostAsync(http, assets);
        var secondRun = await assets.App.WaitForCompletionAsync(ReprocessAssetsHttp.InstanceId, AssetsTestApp.Timeout);

        // Assert
        Assert.Equal(StatusCodes.Status202Accepted, first.StatusCode);
        Assert.All(whileRunning, r => Assert.Equal(StatusCodes.Status409Conflict, r.StatusCode));
        Assert.All(whileRunning, r => Assert.StartsWith("application/problem+json", r.ContentType, StringComparison.Ordinal));
        Assert.Equal(StatusCodes.Status202Accepted, again.StatusCode);
        Assert.Equal(ReprocessAssetsHttp.InstanceId, again.Json<ReprocessAccepted>()!.InstanceId);
        Assert.All([firstRun, secondRun], run => Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus));
        Assert.Equal(1, secondRun.ReadOutputAs<BulkReprocessProgress>()!.Processed);
        Assert.Equal(2, gate.Renders); // one per run: the refused requests started nothing
        Assert.True((await assets.RecordAsync(id)).ReprocessedAt > firstReprocessedAt);
    }

    private static async Task<TestHttpResponse> PostAsync(ReprocessAssetsHttp http, AssetsTestApp assets)
    {
        var request = TestHttp.Request("POST", "/api/assets/reprocess");
        return await (await http.ReprocessAssets(request, assets.Client, default)).ExecuteAsync(request);
    }

    /// <summary>The real imaging; its first rendering waits for <see cref="Release"/>, and renders are counted.</summary>
    private sealed class RenderGate
    {
        private int _renders;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Renders => _renders;

        public IAssetImaging Wrap(IAssetImaging inner) => new Gated(inner, this);

        private sealed class Gated(IAssetImaging inner, RenderGate gate) : IAssetImaging
        {
            public RenditionProfile Profile => inner.Profile;

            public Task<ImageInspection> InspectAsync(Stream content, CancellationToken ct) => inner.InspectAsync(content, ct);

            public async Task<IReadOnlyList<RenditionInfo>> RenderRenditionsAsync(
                Stream original, IncrementalHash? originalHash, IReadOnlyList<RenditionChain> chains, Func<RenditionTarget, Stream, CancellationToken, Task> writeAsync, CancellationToken ct)
            {
                Interlocked.Increment(ref gate._renders);
                gate.Entered.TrySetResult();
                await gate.Release.Task.WaitAsync(ct);
                return await inner.RenderRenditionsAsync(original, originalHash, chains, writeAsync, ct);
            }
        }
    }
}
