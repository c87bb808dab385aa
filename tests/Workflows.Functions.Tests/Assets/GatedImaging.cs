using Workflows.Assets;
using Workflows.Assets.Imaging;

namespace Workflows.Tests.Assets;

/// <summary>
/// The real imaging, except that rendering stops before its first write, once the original is read and decoded, until
/// the test opens the gate: a late (redelivered) render whose writes land after whatever the test does meanwhile.
/// </summary>
internal sealed class GatedImaging(IAssetImaging inner) : ImagingDecorator(inner)
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a render has read the original and is about to write its first rendition.</summary>
    public Task Reached => _reached.Task;

    public void Open() => _open.TrySetResult();

    protected override async Task WriteAsync(
        Func<RenditionTarget, Stream, CancellationToken, Task> write, RenditionTarget target, Stream content, CancellationToken ct)
    {
        _reached.TrySetResult();
        await _open.Task.WaitAsync(ct);
        await write(target, content, ct);
    }
}
