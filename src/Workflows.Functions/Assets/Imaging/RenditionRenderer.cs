using SkiaSharp;
using Workflows.Assets.Imaging.Magick;
using Workflows.Assets.Imaging.Skia;

namespace Workflows.Assets.Imaging;

/// <summary>
/// Renders one <see cref="RenditionChain"/>: decodes the original once (at reduced scale when the largest size
/// allows), turns it upright, then derives each size (fitted per <see cref="RenditionSize"/>) from the previous,
/// larger result and encodes it. Never upscales; keeps the aspect ratio; writes no metadata (the encoders are given
/// bare pixels: no EXIF, GPS or XMP).
/// </summary>
public sealed class RenditionRenderer(DecodeLimiter limiter, ImageLimits limits)
{
    /// <summary>
    /// Renders every size of <paramref name="chain"/> and hands each encoded rendition to
    /// <paramref name="writeAsync"/> (e.g. an upload to <see cref="RenditionTarget.BlobName"/>), largest first.
    /// A profile size larger than the original yields a rendition at the original size, under the profile name.
    /// </summary>
    /// <exception cref="ImageRejectedException">The original is not a decodable image within the limits.</exception>
    public async Task<IReadOnlyList<RenditionInfo>> RenderChainAsync(
        Stream original,
        RenditionChain chain,
        Func<RenditionTarget, Stream, CancellationToken, Task> writeAsync,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(writeAsync);
        chain.Validate();

        // Skia reads synchronously and seeks: give it memory, filled asynchronously from a possibly remote stream.
        await using MemoryStream content = await BufferAsync(original, cancellationToken);
        using ImageDecoder image = ImageDecoder.Open(content, limits);
        SKEncodedOrigin origin = image.Origin;
        bool swap = SkiaDecoding.SwapsAxes(origin);
        int uprightWidth = swap ? image.Size.Height : image.Size.Width;
        int uprightHeight = swap ? image.Size.Width : image.Size.Height;
        SKColor background = chain.Format == RenditionFormat.Jpeg ? SKColors.White : SKColors.Transparent;
        var targets = chain.Sizes
            .Select(size => new RenditionTarget(RenditionNames.RenditionName(chain.Format, size), chain.Format, size.FitTo(uprightWidth, uprightHeight)))
            .ToList();

        // The slot covers every bitmap this chain holds, not just the decode.
        using (await limiter.EnterAsync(cancellationToken))
        {
            var renditions = new List<RenditionInfo>(targets.Count);
            using SKBitmap decoded = image.Decode(targets.Max(t => t.Width));
            SKBitmap? previous = null;
            try
            {
                foreach (RenditionTarget target in targets)
                {
                    cancellationToken.ThrowIfCancellationRequested();

                    // Each size comes from the previous, smaller-but-sufficient one; with mixed fits (a width after
                    // a longest edge) a later size can be larger in one direction, and then comes from the decode.
                    SKBitmap next = previous is not null && previous.Width >= target.Width && previous.Height >= target.Height
                        ? ImageTransforms.Draw(previous, SKEncodedOrigin.TopLeft, target.Width, target.Height, background)
                        : ImageTransforms.Draw(decoded, origin, target.Width, target.Height, background);
                    previous?.Dispose();
                    previous = next;

                    using MemoryStream encoded = Encode(previous, chain.Format, chain.Quality);
                    await writeAsync(target, encoded, cancellationToken);
                    renditions.Add(new RenditionInfo(target.Name, target.Width, target.Height, encoded.Length, target.ContentType));
                }
            }
            finally
            {
                previous?.Dispose();
            }

            return renditions;
        }
    }

    /// <summary>Encodes a bitmap; the result is positioned at 0.</summary>
    internal static MemoryStream Encode(SKBitmap bitmap, RenditionFormat format, int quality)
    {
        var output = new MemoryStream();
        using SKPixmap pixmap = bitmap.PeekPixels();
        bool encoded = format switch
        {
            RenditionFormat.Jpeg => pixmap.Encode(output, new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore)),
            RenditionFormat.Webp => pixmap.Encode(output, new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, quality)),
            RenditionFormat.Avif => MagickEncoder.EncodeAvif(bitmap, quality, output),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
        if (!encoded)
        {
            output.Dispose();
            throw new InvalidOperationException($"Could not encode a {bitmap.Width} × {bitmap.Height} {format} rendition.");
        }

        output.Position = 0;
        return output;
    }

    private static async Task<MemoryStream> BufferAsync(Stream original, CancellationToken cancellationToken)
    {
        int capacity = original.CanSeek ? (int)Math.Clamp(original.Length - original.Position, 0, 64 << 20) : 0;
        var buffer = new MemoryStream(capacity);
        await original.CopyToAsync(buffer, cancellationToken);
        buffer.Position = 0;
        return buffer;
    }
}
