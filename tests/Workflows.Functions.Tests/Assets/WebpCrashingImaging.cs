using System.Security.Cryptography;
using Workflows.Assets;
using Workflows.Assets.Imaging;

namespace Workflows.Tests.Assets;

/// <summary>
/// The real imaging, except that rendering fails right after writing the first WebP rendition (JPEG and WebP
/// renditions of the largest size are then written): by default with an unexpected error, or with
/// <paramref name="fault"/> (e.g. the decoder's <see cref="ImageRejectedException"/>).
/// </summary>
internal sealed class WebpCrashingImaging(IAssetImaging inner, Func<Exception>? fault = null) : IAssetImaging
{
    public RenditionProfile Profile => inner.Profile;

    public Task<ImageInspection> InspectAsync(Stream content, CancellationToken ct) => inner.InspectAsync(content, ct);

    public Task<IReadOnlyList<RenditionInfo>> RenderRenditionsAsync(
        Stream original, IncrementalHash? originalHash, IReadOnlyList<RenditionChain> chains, Func<RenditionTarget, Stream, CancellationToken, Task> writeAsync, CancellationToken ct) =>
        inner.RenderRenditionsAsync(original, originalHash, chains, async (target, content, token) =>
        {
            await writeAsync(target, content, token);
            if (target.Format == RenditionFormat.Webp)
            {
                throw fault?.Invoke() ?? new InvalidOperationException("Injected fault: the WebP encoder crashed.");
            }
        }, ct);
}
