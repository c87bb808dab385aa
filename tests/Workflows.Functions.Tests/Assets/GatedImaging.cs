using System.Security.Cryptography;
using Workflows.Assets;
using Workflows.Assets.Imaging;

namespace Workflows.Tests.Assets;

/// <summary>
/// The real imaging, except that rendering stops before its first write, once the original is read and decoded, until
/// the test opens the gate: a late (redelivered) render whose writes land after whatever the test does meanwhile.
/// </summary>
internal sealed class GatedImaging(IAssetImaging inner) : IAssetImaging
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RenditionProfile Profile => inner.Profile;

    /// <summary>Completes when a render has read the original and is about to write its first rendition.</summary>
    public Task Reached => _reached.Task;

    public void Open() => _open.TrySetResult();

    public Task<ImageInspection> InspectAsync(Stream content, CancellationToken ct) => inner.InspectAsync(content, ct);

    public Task<IReadOnlyList<RenditionInfo>> RenderRenditionsAsync(
        Stream original,
        IncrementalHash? originalHash,
        IReadOnlyList<RenditionChain> chains,
        Func<RenditionTarget, Stream, CancellationToken, Task> writeAsync,
        CancellationToken ct) =>
        inner.RenderRenditionsAsync(original, originalHash, chains, async (target, content, token) =>
        {
            _reached.TrySetResult();
            await _open.Task.WaitAsync(token);
            await writeAsync(target, content, token);
        }, ct);
}
