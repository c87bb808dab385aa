using System.Security.Cryptography;
using SkiaSharp;
using Workflows.Assets.Imaging.Magick;
using Workflows.Assets.Imaging.Skia;

namespace Workflows.Assets.Imaging;

/// <summary>
/// Renders every chain of a profile from one decode: reads the original once, checks its structure
/// (<see cref="ImageDecoder.Verify"/>, no decoding), decodes it once (at reduced scale when the largest size allows;
/// a decode that fails or comes up short rejects the original before any rendition is written), then derives each
/// distinct size (fitted per <see cref="RenditionSize"/>) from the previous, larger one, turned upright, and encodes
/// it in every format that lists it. Never upscales; keeps the aspect ratio; writes no
/// metadata (the encoders are given bare pixels: no EXIF, GPS, XMP or ICC profile).
/// </summary>
public sealed class RenditionRenderer(DecodeLimiter limiter, ImageLimits limits)
{
    /// <summary>
    /// Renders every size of every chain in <paramref name="chains"/> and hands each encoded rendition to
    /// <paramref name="writeAsync"/> (e.g. an upload to <see cref="RenditionTarget.BlobName"/>), largest size first;
    /// returns them as the profile lists them.
    /// A profile size larger than the original yields a rendition at the original size, under the profile name.
    /// </summary>
    /// <exception cref="ImageRejectedException">The original is not a complete, decodable image within the limits.</exception>
    public Task<IReadOnlyList<RenditionInfo>> RenderAsync(
        Stream original,
        IReadOnlyList<RenditionChain> chains,
        Func<RenditionTarget, Stream, CancellationToken, Task> writeAsync,
        CancellationToken cancellationToken) =>
        RenderAsync(original, originalHash: null, chains, writeAsync, cancellationToken);

    /// <inheritdoc cref="RenderAsync(Stream, IReadOnlyList{RenditionChain}, Func{RenditionTarget, Stream, CancellationToken, Task}, CancellationToken)"/>
    /// <param name="originalHash">Every byte of the original is added to it as it is read (no second pass, no copy).</param>
    public async Task<IReadOnlyList<RenditionInfo>> RenderAsync(
        Stream original,
        IncrementalHash? originalHash,
        IReadOnlyList<RenditionChain> chains,
        Func<RenditionTarget, Stream, CancellationToken, Task> writeAsync,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(chains);
        ArgumentNullException.ThrowIfNull(writeAsync);
        new RenditionProfile(chains).Validate();

        // The decoders read synchronously and seek: give them memory, filled asynchronously from a possibly remote stream.
        SKData content = await EncodedBytes.ReadAsync(original, originalHash, cancellationToken);
        ImageDecoder? image = null;
        try
        {
            image = ImageDecoder.Open(content, limits);

            // Inspection read the header only: a truncated or corrupt file is rejected here or by the decode, before a
            // rendition is written. The structure check holds no bitmap (a PNG's pixel stream is inflated through
            // 64 KB), so it needs no decode slot.
            image.Verify();
            SKEncodedOrigin origin = image.Origin;
            bool swap = SkiaDecoding.SwapsAxes(origin);
            int uprightWidth = swap ? image.Size.Height : image.Size.Width;
            int uprightHeight = swap ? image.Size.Width : image.Size.Height;

            // Every rendition by its pixels, largest first; formats that share a size share its bitmap.
            var sizes = chains
                .SelectMany(chain => chain.Sizes.Select(size => (Chain: chain, Target: new RenditionTarget(
                    RenditionNames.RenditionName(chain.Format, size), chain.Format, size.FitTo(uprightWidth, uprightHeight)))))
                .GroupBy(t => (t.Target.Width, t.Target.Height))
                .OrderByDescending(g => (long)g.Key.Width * g.Key.Height)
                .ToList();
            int decodeWidth = sizes.Max(s => s.Key.Width);
            SKSizeI decodeSize = image.DecodeSize(decodeWidth);

            // The slots cover every bitmap this asset holds, not just the decode.
            using (await limiter.EnterAsync(limiter.WeightOf((long)decodeSize.Width * decodeSize.Height), cancellationToken))
            {
                var renditions = new List<RenditionInfo>();
                SKBitmap decoded = image.Decode(decodeWidth, cancellationToken);

                // The compressed original is no longer needed: give its memory back before the cascade.
                image.Dispose();
                image = null;
                content.Dispose();
                SKBitmap? previous = null;
                try
                {
                    foreach (var size in sizes)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        (int width, int height) = size.Key;

                        // Each size comes from the previous, smaller-but-sufficient one; with mixed fits (a width after
                        // a longest edge) a later size can be larger in one direction, and then comes from the decode.
                        // Transparency is kept (WebP, AVIF); JPEG gets it flattened onto white when encoded.
                        SKBitmap next = previous is not null && previous.Width >= width && previous.Height >= height
                            ? ImageTransforms.Draw(previous, SKEncodedOrigin.TopLeft, width, height, SKColors.Transparent)
                            : ImageTransforms.Draw(decoded, origin, width, height, SKColors.Transparent);
                        previous?.Dispose();
                        previous = next;

                        foreach (var (chain, target) in size.OrderBy(t => t.Chain.Format))
                        {
                            using MemoryStream encoded = Encode(previous, chain.Format, chain.Quality);
                            await writeAsync(target, encoded, cancellationToken);
                            renditions.Add(new RenditionInfo(target.Name, target.Width, target.Height, encoded.Length, target.ContentType));
                        }
                    }
                }
                finally
                {
                    previous?.Dispose();
                    decoded.Dispose();
                }

                // Listed as the profile lists them (chain by chain, sizes in order), whatever order they were written in.
                List<string> listed = [.. chains.SelectMany(c => c.Sizes.Select(size => RenditionNames.RenditionName(c.Format, size)))];
                return [.. renditions.OrderBy(r => listed.IndexOf(r.Name))];
            }
        }
        finally
        {
            image?.Dispose();
            content.Dispose();
        }
    }

    /// <summary>Encodes a bitmap (JPEG: transparency onto white); the result is positioned at 0.</summary>
    internal static MemoryStream Encode(SKBitmap bitmap, RenditionFormat format, int quality)
    {
        var output = new MemoryStream();
        try
        {
            if (format == RenditionFormat.Jpeg && bitmap.AlphaType != SKAlphaType.Opaque)
            {
                using SKBitmap flat = ImageTransforms.Draw(bitmap, SKEncodedOrigin.TopLeft, bitmap.Width, bitmap.Height, SKColors.White);
                EncodeJpeg(flat, quality, output);
            }
            else if (format == RenditionFormat.Jpeg)
            {
                EncodeJpeg(bitmap, quality, output);
            }
            else
            {
                MagickEncoder.Encode(bitmap, format, quality, output);
            }
        }
        catch
        {
            output.Dispose();
            throw;
        }

        output.Position = 0;
        return output;
    }

    /// <summary>
    /// JPEG through Skia's encoder: measured faster than Magick.NET's on the same pixels (README, Performance). The
    /// pixels are handed over without a colour space, so no ICC profile is written (they are sRGB, the default).
    /// </summary>
    private static void EncodeJpeg(SKBitmap bitmap, int quality, Stream output)
    {
        using var pixels = new SKPixmap(bitmap.Info.WithColorSpace(null), bitmap.GetPixels(), bitmap.RowBytes);
        if (!pixels.Encode(output, new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore)))
        {
            throw new InvalidOperationException($"Could not encode a {bitmap.Width} × {bitmap.Height} JPEG rendition.");
        }
    }
}
