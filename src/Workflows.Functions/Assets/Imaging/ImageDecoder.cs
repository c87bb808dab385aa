using SkiaSharp;
using Workflows.Assets.Imaging.Magick;
using Workflows.Assets.Imaging.Skia;

namespace Workflows.Assets.Imaging;

/// <summary>
/// An original whose header has been read and checked against the limits, with no pixels decoded yet: Skia's
/// codecs for JPEG, PNG, WebP, GIF and BMP, Magick.NET for the rest. Inspection and rendering see only this.
/// </summary>
internal abstract class ImageDecoder : IDisposable
{
    public abstract ImageFormat Format { get; }

    /// <summary>Stored size, before orientation.</summary>
    public abstract SKSizeI Size { get; }

    /// <summary>The EXIF/TIFF orientation the renditions apply.</summary>
    public abstract SKEncodedOrigin Origin { get; }

    /// <summary>The EXIF block as the codec found it, for containers MetadataExtractor cannot read (e.g. JPEG XL).</summary>
    public virtual byte[]? Exif => null;

    /// <summary>The XMP packet as the codec found it.</summary>
    public virtual byte[]? Xmp => null;

    /// <summary>
    /// Opens <paramref name="content"/> (see <see cref="EncodedBytes"/>; the caller disposes it after the decoder):
    /// the format from the first bytes, the dimensions from the header, rejected before any pixel is decoded when
    /// over <paramref name="limits"/>.
    /// </summary>
    public static ImageDecoder Open(SKData content, ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(limits);
        if (content.IsEmpty)
        {
            throw ImageRejectedException.Empty();
        }

        (ImageFormat? format, string detected) = FormatSniffer.Sniff(content.Span);
        return format switch
        {
            null => throw ImageRejectedException.Unsupported(detected),
            { } skia when ImageFormats.IsSkia(skia) => SkiaImageDecoder.Open(content, skia, detected, limits),
            { } other => MagickImageDecoder.Open(content, other, limits),
        };
    }

    /// <summary>
    /// Rejects, without decoding or holding a bitmap, the incomplete content <see cref="Decode"/> would accept (a
    /// progressive JPEG cut short decodes as a blur, a PNG cut after its last row as a whole image, a PNG pixel stream
    /// that turns to garbage after its rows as that garbage); everything else that is truncated or corrupt fails
    /// <see cref="Decode"/> itself. The renderer runs both before it writes any rendition.
    /// </summary>
    public abstract void Verify();

    /// <summary>
    /// Decodes the whole image (first frame or page) as sRGB, at the smallest scale the format offers whose upright
    /// width is still at least <paramref name="minUprightWidth"/>. The bitmap is immutable; the caller disposes it.
    /// A decoder that runs in our own code (a PNG's rows) stops when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public abstract SKBitmap Decode(int minUprightWidth, CancellationToken cancellationToken = default);

    /// <summary>The pixels <see cref="Decode"/> holds at its peak for <paramref name="minUprightWidth"/>, before any pixel is decoded.</summary>
    public abstract SKSizeI DecodeSize(int minUprightWidth);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
