using Workflows.Assets;
using Workflows.Assets.Imaging;

namespace Workflows.Tests.Assets;

/// <summary>
/// The real imaging, except that rendering fails right after writing the first WebP rendition (JPEG and WebP
/// renditions of the largest size are then written): by default with an unexpected error, or with
/// <paramref name="fault"/> (e.g. the decoder's <see cref="ImageRejectedException"/>).
/// </summary>
internal sealed class WebpCrashingImaging(IAssetImaging inner, Func<Exception>? fault = null) : ImagingDecorator(inner)
{
    protected override async Task WriteAsync(
        Func<RenditionTarget, Stream, CancellationToken, Task> write, RenditionTarget target, Stream content, CancellationToken ct)
    {
        await write(target, content, ct);
        if (target.Format == RenditionFormat.Webp)
        {
            throw fault?.Invoke() ?? new InvalidOperationException("Injected fault: the WebP encoder crashed.");
        }
    }
}
