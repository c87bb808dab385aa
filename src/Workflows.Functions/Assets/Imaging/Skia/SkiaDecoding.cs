using SkiaSharp;

namespace Workflows.Assets.Imaging.Skia;

/// <summary>The Skia calls inspection and rendering share: map formats, decode at reduced scale.</summary>
internal static class SkiaDecoding
{
    public static ImageFormat? ToImageFormat(SKEncodedImageFormat format) => format switch
    {
        SKEncodedImageFormat.Jpeg => ImageFormat.Jpeg,
        SKEncodedImageFormat.Png => ImageFormat.Png,
        SKEncodedImageFormat.Webp => ImageFormat.Webp,
        SKEncodedImageFormat.Gif => ImageFormat.Gif,
        SKEncodedImageFormat.Bmp => ImageFormat.Bmp,
        _ => null,
    };

    /// <summary>True when the EXIF origin turns the image a quarter, so upright width = stored height.</summary>
    public static bool SwapsAxes(SKEncodedOrigin origin) => (int)origin >= 5;

    /// <summary>The size <see cref="Decode"/> decodes to: the smallest n/8 scale still as wide as <paramref name="minUprightWidth"/>.</summary>
    public static SKSizeI DecodeSize(SKCodec codec, int minUprightWidth)
    {
        bool swap = SwapsAxes(codec.EncodedOrigin);
        for (int eighths = 1; eighths < 8; eighths++)
        {
            SKSizeI scaled = codec.GetScaledDimensions(eighths / 8f);
            if ((swap ? scaled.Height : scaled.Width) >= minUprightWidth)
            {
                return scaled;
            }
        }

        return codec.Info.Size;
    }

    /// <summary>
    /// Decodes the whole image (first frame) at the smallest scale the codec offers whose upright width is still
    /// at least <paramref name="minUprightWidth"/>: libjpeg-turbo decodes JPEG at n/8 scale for a fraction of the
    /// cost. Output is sRGB, so colour survives dropping the original's ICC profile.
    /// </summary>
    public static SKBitmap Decode(SKCodec codec, int minUprightWidth)
    {
        SKSizeI size = DecodeSize(codec, minUprightWidth);
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
