using SkiaSharp;

namespace Workflows.Assets.Imaging;

/// <summary>
/// Describes an upload from its header: format from the content, dimensions (a decompression bomb is rejected before a
/// pixel is decoded), orientation, EXIF/XMP metadata. It reads no pixels: that the file is complete and well-formed is
/// proved by the rendering, which reads all of it anyway (<see cref="RenditionRenderer"/>).
/// </summary>
public sealed class ImageInspector(ImageLimits limits)
{
    /// <summary>
    /// Reads <paramref name="content"/> to the end (asynchronously; it may be a network stream): what
    /// <see cref="InspectionExtent"/> reads of the original (a JPEG's first bytes, a WebP with zeros in place of its
    /// image data, a PNG's chunks without its image data), or all of it. Throws <see cref="ImageRejectedException"/>
    /// with a reason a user can act on.
    /// </summary>
    public async Task<ImageInspection> InspectAsync(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        using SKData buffer = await EncodedBytes.ReadAsync(content, hash: null, cancellationToken);
        using ImageDecoder image = ImageDecoder.Open(buffer, limits);
        using Stream bytes = (image.Format == ImageFormat.Webp ? WebpExtent.MetadataChunks(buffer.Span) : null) ?? buffer.AsStream();
        bool lying = image.Format == ImageFormat.Png && PngExtent.HasChunkPastEnd(buffer.Span); // not MetadataExtractor's to allocate
        PhotoMetadata metadata = PhotoMetadataReader.Read(lying ? null : bytes, image.Exif, image.Xmp);
        return new ImageInspection(
            image.Format,
            ImageFormats.ContentType(image.Format),
            image.Size.Width,
            image.Size.Height,
            (int)image.Origin,
            metadata);
    }
}
