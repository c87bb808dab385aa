using System.Buffers;
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
        (MemoryStream buffer, string sha256) = await BufferAndHashAsync(content, cancellationToken);
        await using (buffer)
        {
            using ImageDecoder image = ImageDecoder.Open(buffer, limits);
            SKSizeI verified = image.DecodeSize(1); // what the verifying decode holds at most
            using (await limiter.EnterAsync(limiter.WeightOf((long)verified.Width * verified.Height), cancellationToken))
            {
                image.Verify();
            }

            // A separate read-only view: a codec keeps its own position in the buffer.
            PhotoMetadata metadata = PhotoMetadataReader.Read(
                new MemoryStream(buffer.GetBuffer(), 0, (int)buffer.Length, writable: false), image.Exif, image.Xmp);
            return new ImageInspection(
                image.Format,
                ImageFormats.ContentType(image.Format),
                buffer.Length,
                sha256,
                image.Size.Width,
                image.Size.Height,
                (int)image.Origin,
                metadata);
        }
    }

    private static async Task<(MemoryStream Buffer, string Sha256)> BufferAndHashAsync(Stream content, CancellationToken cancellationToken)
    {
        // Pre-size from a seekable stream, within reason: the byte limit is enforced upstream, not here.
        int capacity = content.CanSeek ? (int)Math.Clamp(content.Length - content.Position, 0, 64 << 20) : 0;
        var buffer = new MemoryStream(capacity);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] chunk = ArrayPool<byte>.Shared.Rent(81_920);
        try
        {
            int read;
            while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
            {
                hash.AppendData(chunk, 0, read);
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        buffer.Position = 0;
        return (buffer, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
