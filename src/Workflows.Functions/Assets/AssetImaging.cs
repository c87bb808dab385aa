using System.Security.Cryptography;
using Workflows.Assets.Imaging;

namespace Workflows.Assets;

/// <summary>
/// The image work the pipeline's activities need: a seam over the imaging core, so a test can swap in a failing
/// rendering through the service collection.
/// </summary>
public interface IAssetImaging
{
    /// <summary>The renditions every asset gets (configured under <c>Imaging</c>).</summary>
    RenditionProfile Profile { get; }

    /// <inheritdoc cref="ImageInspector.InspectAsync"/>
    Task<ImageInspection> InspectAsync(Stream content, CancellationToken ct);

    /// <inheritdoc cref="RenditionRenderer.RenderAsync(Stream, IncrementalHash?, IReadOnlyList{RenditionChain}, Func{RenditionTarget, Stream, CancellationToken, Task}, CancellationToken)"/>
    Task<IReadOnlyList<RenditionInfo>> RenderRenditionsAsync(
        Stream original,
        IncrementalHash? originalHash,
        IReadOnlyList<RenditionChain> chains,
        Func<RenditionTarget, Stream, CancellationToken, Task> writeAsync,
        CancellationToken ct);
}

/// <summary>The imaging core, as registered by <see cref="ImagingRegistration.AddImaging"/>.</summary>
public sealed class AssetImaging(RenditionProfile profile, ImageInspector inspector, RenditionRenderer renderer) : IAssetImaging
{
    public RenditionProfile Profile => profile;

    public Task<ImageInspection> InspectAsync(Stream content, CancellationToken ct) => inspector.InspectAsync(content, ct);

    public Task<IReadOnlyList<RenditionInfo>> RenderRenditionsAsync(
        Stream original,
        IncrementalHash? originalHash,
        IReadOnlyList<RenditionChain> chains,
        Func<RenditionTarget, Stream, CancellationToken, Task> writeAsync,
        CancellationToken ct) =>
        renderer.RenderAsync(original, originalHash, chains, writeAsync, ct);
}
