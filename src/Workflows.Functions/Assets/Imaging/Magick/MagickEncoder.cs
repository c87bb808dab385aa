using ImageMagick;
using SkiaSharp;

namespace Workflows.Assets.Imaging.Magick;

/// <summary>AVIF renditions: Skia has no AVIF encoder, so the finished bitmap goes to libheif/AOM through Magick.NET.</summary>
internal static class MagickEncoder
{
    /// <summary>AOM's speed, 0 (slowest, smallest) to 9; 8 keeps a 1600 px rendition within a few times WebP's time.</summary>
    public const int AvifSpeed = 8;

    public static bool EncodeAvif(SKBitmap bitmap, int quality, Stream output)
    {
        MagickRuntime.EnsureInitialized();
        bool opaque = bitmap.AlphaType == SKAlphaType.Opaque;
        using var rgba = new SKBitmap(new SKImageInfo(bitmap.Width, bitmap.Height, SKColorType.Rgba8888, opaque ? SKAlphaType.Opaque : SKAlphaType.Unpremul));
        using (SKPixmap pixels = bitmap.PeekPixels())
        {
            if (!pixels.ReadPixels(rgba.Info, rgba.GetPixels(), rgba.RowBytes))
            {
                return false;
            }
        }

        using var image = new MagickImage();
        image.ReadPixels(rgba.GetPixelSpan(), new PixelReadSettings((uint)rgba.Width, (uint)rgba.Height, StorageType.Char, PixelMapping.RGBA));
        if (opaque)
        {
            image.HasAlpha = false;
        }

        image.Quality = (uint)quality;
        image.Settings.SetDefine(MagickFormat.Heic, "speed", AvifSpeed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        image.Write(output, MagickFormat.Avif);
        return true;
    }
}
