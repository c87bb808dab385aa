using System.Security.Cryptography;
using Workflows.Assets;
using Workflows.Assets.Imaging;

namespace Workflows.Tests.Assets;

/// <summary>
/// The real imaging with a step of a test's around inspection (<see cref="InspectAsync"/>) or around each rendition
/// the rendering hands over to be written (<see cref="WriteAsync"/>): a fault, a pause, a change made meanwhile.
/// </summary>
internal abstract class ImagingDecorator(IAssetImaging inner) : IAssetImaging
{
    public RenditionProfile Profile => inner.Profile;

    public virtual Task<ImageInspection> InspectAsync(Stream content, CancellationToken ct) => inner.InspectAsync(content, ct);

    public Task<IReadOnlyList<RenditionInfo>> RenderRenditionsAsync(
        Stream original,
        IncrementalHash? originalHash,
        IReadOnlyList<RenditionChain> chains,
        Func<RenditionTarget, Stream, CancellationToken, Task> writeAsync,
        CancellationToken ct) =>
        inner.RenderRenditionsAsync(original, originalHash, chains, (target, content, token) => WriteAsync(writeAsync, target, content, token), ct);

    /// <summary>Writes one rendition through <paramref name="write"/> (the activity's upload).</summary>
    protected virtual Task WriteAsync(
        Func<RenditionTarget, Stream, CancellationToken, Task> write, RenditionTarget target, Stream content, CancellationToken ct) =>
        write(target, content, ct);
}
