using SkiaSharp;

namespace Workflows.Assets.Imaging;

/// <summary>The Skia calls inspection and rendering share: open a codec, check it, decode it.</summary>
internal static class SkiaDecoding
{
    /// <summary>Reads only the header: format, dimensions and EXIF origin. No pixels are decoded.</summary>
    public static SKCodec Open(Stream content, ImageLimits limits)
    {
        var head = new byte[FormatSniffer.HeaderLength];
        int read = content.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (read == 0)
        {
            throw ImageRejectedException.Empty();
        }

        (ImageFormat? format, string detected) = FormatSniffer.Sniff(head.AsSpan(0, read));
        if (format is null)
        {
            throw ImageRejectedException.Unsupported(detected);
        }

        content.Position = 0;
        SKCodec? codec = SKCodec.Create(content, out SKCodecResult result);
        if (codec is null || ToImageFormat(codec.EncodedFormat) != format)
        {
            codec?.Dispose();
            throw result == SKCodecResult.Success ? ImageRejectedException.Unsupported(detected) : ImageRejectedException.Corrupt();
        }

        try
        {
            limits.EnsureWithin(codec.Info.Width, codec.Info.Height);
            return codec;
        }
        catch
        {
            codec.Dispose();
            throw;
        }
    }

    public static ImageFormat? ToImageFormat(SKEncodedImageFormat format) => format switch
    {
        SKEncodedImageFormat.Jpeg => ImageFormat.Jpeg,
        SKEncodedImageFormat.Png => ImageFormat.Png,
        SKEncodedImageFormat.Webp => ImageFormat.Webp,
        SKEncodedImageFormat.Gif => ImageFormat.Gif,
        SKEncodedImageFormat.Bmp => ImageFormat.Bmp,
        _ => null,
    };

    public static string ContentType(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "image/jpeg",
        ImageFormat.Png => "image/png",
        ImageFormat.Webp => "image/webp",
        ImageFormat.Gif => "image/gif",
        ImageFormat.Bmp => "image/bmp",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>True when the EXIF origin turns the image a quarter, so upright width = stored height.</summary>
    public static bool SwapsAxes(SKEncodedOrigin origin) => (int)origin >= 5;

    /// <summary>
    /// Decodes the whole image (first frame) at the smallest scale the codec offers whose upright width is still
    /// at least <paramref name="minUprightWidth"/>: libjpeg-turbo decodes JPEG at n/8 scale for a fraction of the
    /// cost. Output is sRGB, so colour survives dropping the original's ICC profile.
    /// </summary>
    public static SKBitmap Decode(SKCodec codec, int minUprightWidth)
    {
        bool swap = SwapsAxes(codec.EncodedOrigin);
        SKSizeI size = new(codec.Info.Width, codec.Info.Height);
        for (int eighths = 1; eighths < 8; eighths++)
        {
            SKSizeI scaled = codec.GetScaledDimensions(eighths / 8f);
            if ((swap ? scaled.Height : scaled.Width) >= minUprightWidth)
            {
                size = scaled;
                break;
            }
        }

        SKAlphaType alpha = codec.Info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul;
        var info = new SKImageInfo(size.Width, size.Height, SKImageInfo.PlatformColorType, alpha, SKColorSpace.CreateSrgb());
        var bitmap = new SKBitmap(info);
        try
        {
            SKCodecResult result = codec.GetPixels(info, bitmap.GetPixels());
            if (result == SKCodecResult.InvalidScale && size != codec.Info.Size)
            {
                bitmap.Dispose();
                return Decode(codec, int.MaxValue);
            }

            if (result != SKCodecResult.Success)
            {
                throw ImageRejectedException.Corrupt();
            }

            // Immutable pixels let SKImage.FromBitmap share them instead of copying (48 MB for 12 MP).
            bitmap.SetImmutable();
            return bitmap;
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }
}
