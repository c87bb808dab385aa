using System.Globalization;
using ImageMagick;
using ImageMagick.Formats;
using SkiaSharp;

namespace Workflows.Assets.Imaging.Magick;

/// <summary>
/// WebP and AVIF renditions through Magick.NET: its libwebp exposes the effort setting (Skia's is fixed at method 3),
/// and AVIF has no Skia encoder at all. The image is built from bare pixels, so nothing but pixels is written: no
/// EXIF, XMP or ICC profile (renditions are sRGB, which is what a decoder assumes without a profile). JPEG stays with
/// Skia's encoder, which measured faster than this path (README, Performance).
/// </summary>
internal static class MagickEncoder
{
    /// <summary>AOM's speed, 0 (slowest, smallest) to 9; 8 keeps a 1600 px rendition within a few times WebP's time.</summary>
    public const int AvifSpeed = 8;

    /// <summary>
    /// libwebp's method (effort), 0-6. Measured at JPEG's PSNR (README, Performance, <c>--webp-grid</c>): method 1 at
    /// q83 keeps the WebP chain within 1.5× the JPEG chain; methods 2-4 write up to ~20% smaller files at about the
    /// same PSNR but cost 1.5-3× method 1's encode (the chain 1.6-2.7× JPEG's on a baseline JPEG); method 0 saves
    /// ~15% of the encode for 1-2% larger files.
    /// </summary>
    public const int WebpMethod = 1;

    /// <summary>Encodes a Skia bitmap as WebP or AVIF into <paramref name="output"/>.</summary>
    public static void Encode(SKBitmap bitmap, RenditionFormat format, int quality, Stream output)
    {
        MagickRuntime.EnsureInitialized();
        using MagickImage image = ToMagick(bitmap);
        image.Quality = (uint)quality;
        switch (format)
        {
            case RenditionFormat.Webp:
                image.Write(output, new WebPWriteDefines { Method = WebpMethod, Lossless = false });
                break;
            case RenditionFormat.Avif:
                image.Settings.SetDefine(MagickFormat.Heic, "speed", AvifSpeed.ToString(CultureInfo.InvariantCulture));
                image.Write(output, MagickFormat.Avif);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, null);
        }
    }

    /// <summary>A WebP at another method than the app's (the benchmark's effort lever); positioned at 0.</summary>
    public static MemoryStream EncodeWebp(SKBitmap bitmap, int quality, int method)
    {
        MagickRuntime.EnsureInitialized();
        using MagickImage image = ToMagick(bitmap);
        image.Quality = (uint)quality;
        var output = new MemoryStream();
        image.Write(output, new WebPWriteDefines { Method = method, Lossless = false });
        output.Position = 0;
        return output;
    }

    /// <summary>
    /// Opaque BGRA pixels are imported as they are (the fourth byte skipped); anything else is first converted to
    /// unpremultiplied RGBA, which is what ImageMagick stores.
    /// </summary>
    private static MagickImage ToMagick(SKBitmap bitmap)
    {
        var image = new MagickImage();
        try
        {
            uint width = (uint)bitmap.Width;
            uint height = (uint)bitmap.Height;
            if (bitmap.AlphaType == SKAlphaType.Opaque && bitmap.ColorType == SKColorType.Bgra8888 && bitmap.RowBytes == bitmap.Width * 4)
            {
                image.ReadPixels(bitmap.GetPixelSpan(), new PixelReadSettings(width, height, StorageType.Char, "BGRP"));
                return image;
            }

            bool opaque = bitmap.AlphaType == SKAlphaType.Opaque;
            var info = new SKImageInfo(bitmap.Width, bitmap.Height, SKColorType.Rgba8888, opaque ? SKAlphaType.Opaque : SKAlphaType.Unpremul);
            using var rgba = new SKBitmap(info);
            using (SKPixmap pixels = bitmap.PeekPixels())
            {
                if (!pixels.ReadPixels(rgba.Info, rgba.GetPixels(), rgba.RowBytes))
                {
                    throw new InvalidOperationException($"Could not read the pixels of a {bitmap.Width} × {bitmap.Height} rendition.");
                }
            }

            image.ReadPixels(rgba.GetPixelSpan(), new PixelReadSettings(width, height, StorageType.Char, opaque ? "RGBP" : "RGBA"));
            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }
}
