using System.Security.Cryptography;
using SkiaSharp;

namespace Workflows.Assets.Imaging;

/// <summary>
/// Validates an upload and describes it: format from the content, dimensions from the header (a decompression
/// bomb is rejected before a pixel is decoded), SHA-256, EXIF/XMP metadata, and a low-memory verifying decode so a
/// truncated or corrupt file is rejected here rather than when rendering.
/// </summary>
public sealed class ImageInspector(DecodeLimiter limiter, ImageLimits limits)
{
    /// <summary>
    /// Reads <paramref name="content"/> once to the end (asynchronously; it may be a network stream), buffering the
    /// compressed bytes; throws <see cref="ImageRejectedException"/> with a reason a user can act on.
    /// </summary>
    public async Task<ImageInspection> InspectAsync(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using SKData buffer = await EncodedBytes.ReadAsync(content, hash, cancellationToken);
        using ImageDecoder image = ImageDecoder.Open(buffer, limits);
        SKSizeI verified = image.DecodeSize(1); // what the verifying decode holds at most
        using (await limiter.EnterAsync(limiter.WeightOf((long)verified.Width * verified.Height), cancellationToken))
        {
            image.Verify();
        }

        using Stream bytes = buffer.AsStream();
        PhotoMetadata metadata = PhotoMetadataReader.Read(bytes, image.Exif, image.Xmp);
        return new ImageInspection(
            image.Format,
            ImageFormats.ContentType(image.Format),
            buffer.Size,
            Convert.ToHexStringLower(hash.GetHashAndReset()),
            image.Size.Width,
            image.Size.Height,
            (int)image.Origin,
            metadata);
    }
}
