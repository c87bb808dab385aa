using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets;
using Workflows.Assets.Uploads;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>
/// Two runs of the step that copies the upload to <c>originals/{assetId}</c> (activities run at least once): both find
/// no original, and the duplicate's copy goes out after the first run's. The rendering reads only the version
/// inspection recorded, so the duplicate must neither write the original again nor answer with a rejection.
/// </summary>
public sealed class AssetDuplicateCopyTests
{
    [Fact]
    public async Task InspectUpload_DuplicateCopiesAfterTheFirstRunFinished_SameResultNotARejection()
    {
        // Arrange: the duplicate found no original; its copy goes out once the first run has copied, deleted the
        // upload and recorded the original's ETag.
        await using var assets = await StartAsync();
        var inspect = await UploadAsync(assets);
        var duplicateCopy = new Hold(IsCopy);
        var duplicate = RunAsync(assets, inspect, duplicateCopy);
        await duplicateCopy.Reached;

        // Act
        var first = await RunAsync(assets, inspect, hold: null);
        duplicateCopy.Release();
        var again = await duplicate;

        // Assert: whichever result the orchestrator takes, the asset goes on from the original inspection read.
        Assert.Null(first.Rejection);
        Assert.Equivalent(first, again);
        Assert.Equal(first.OriginalETag, await OriginalETagAsync(assets, inspect.AssetId));
    }

    [Fact]
    public async Task InspectUpload_DuplicateCopiesOverTheFirstRunsOriginal_OriginalWrittenOnce()
    {
        // Arrange: both runs found no original; the duplicate's copy goes out once the first run's copy is in place,
        // before that run deletes the upload (so the upload is still there to copy).
        await using var assets = await StartAsync();
        var inspect = await UploadAsync(assets);
        var duplicateCopy = new Hold(IsCopy);
        var duplicate = RunAsync(assets, inspect, duplicateCopy);
        await duplicateCopy.Reached;
        var firstDelete = new Hold(r => r.Method == RequestMethod.Delete && r.Uri.Path.Contains("/" + assets.Options.UploadsContainer + "/", StringComparison.Ordinal));
        var first = RunAsync(assets, inspect, firstDelete);
        await firstDelete.Reached;
        string copied = await OriginalETagAsync(assets, inspect.AssetId);

        // Act
        duplicateCopy.Release();
        var again = await duplicate;
        firstDelete.Release();
        var result = await first;

        // Assert: the original is the first copy's, unchanged; both runs recorded that version.
        Assert.Equal(copied, await OriginalETagAsync(assets, inspect.AssetId));
        Assert.Equal((copied, copied), (result.OriginalETag, again.OriginalETag));
    }

    private static bool IsCopy(Request request) => request.Headers.TryGetValue("x-ms-copy-source", out _);

    /// <summary>The app with its storage requests held by each run's <see cref="Hold"/> (<see cref="HeldRequests"/>).</summary>
    private static Task<AssetsTestApp> StartAsync() => AssetsTestApp.StartAsync(services: s =>
        s.AddAzureClients(clients => clients.ConfigureDefaults(o => o.AddPolicy(new HeldRequests(), HttpPipelinePosition.PerCall))));

    private static async Task<InspectUploadRequest> UploadAsync(AssetsTestApp assets)
    {
        var blob = await assets.PutUploadAsync("photo.jpg", TestImages.Jpeg(400, 300));
        var starter = assets.App.Services.GetRequiredService<AssetStarter>();
        var upload = starter.RequestFor(blob.BlobContainerName, blob.Name, (await blob.GetPropertiesAsync()).Value.ETag, null);
        return new InspectUploadRequest(upload.AssetId, upload.UploadContainer, upload.UploadBlobName, upload.UploadETag, upload.OriginalName);
    }

    /// <summary>One run of the activity, its storage requests held by <paramref name="hold"/>.</summary>
    private static Task<InspectUploadResult> RunAsync(AssetsTestApp assets, InspectUploadRequest inspect, Hold? hold) => Task.Run(() =>
    {
        HeldRequests.Current.Value = hold;
        return assets.App.CreateFunction<InspectActivities>().InspectUpload(inspect, CancellationToken.None);
    });

    private static async Task<string> OriginalETagAsync(AssetsTestApp assets, string assetId) =>
        AssetIds.NormalizeETag((await assets.Store.Original(assetId).GetPropertiesAsync()).Value.ETag.ToString());

    /// <summary>Holds the first request of one run that <paramref name="matches"/> picks until released.</summary>
    private sealed class Hold(Func<Request, bool> matches)
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => _reached.Task.WithinAsync(AssetsTestApp.Timeout);

        public void Release() => _released.TrySetResult();

        public async ValueTask WaitIfMatchesAsync(Request request)
        {
            if (!_reached.Task.IsCompleted && matches(request))
            {
                _reached.TrySetResult();
                await _released.Task.WithinAsync(AssetsTestApp.Timeout);
            }
        }
    }

    /// <summary>The app's storage requests, each run's held by its own <see cref="Hold"/> (set in its flow).</summary>
    private sealed class HeldRequests : HttpPipelinePolicy
    {
        public static readonly AsyncLocal<Hold?> Current = new();

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessNext(message, pipeline);

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (Current.Value is { } hold)
            {
                await hold.WaitIfMatchesAsync(message.Request);
            }

            await ProcessNextAsync(message, pipeline);
        }
    }
}
