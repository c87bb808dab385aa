using System.Runtime.InteropServices;
using ImageMagick;
using SkiaSharp;

namespace Workflows.Assets.Imaging.Magick;

/// <summary>From a decoded ImageMagick image to the sRGB Skia bitmap the renderer works on.</summary>
internal static class MagickColour
{
    private const int RowsPerBand = 64;

    /// <summary>
    /// Converts to sRGB: with the embedded ICC profile when there is one (CMYK print files, Adobe RGB, camera
    /// profiles), CMYK without one as U.S. Web Coated SWOP (what Photoshop assumes), any other colour space
    /// (Lab, YCbCr, linear RGB from a raw) by ImageMagick's own conversion.
    /// </summary>
    public static void ToSrgb(MagickImage image)
    {
        if (image.ColorSpace == ColorSpace.CMYK)
        {
            image.TransformColorSpace(ColorProfiles.USWebCoatedSWOP, ColorProfiles.SRGB);
        }
        else if (image.GetColorProfile() is not null)
        {
            image.TransformColorSpace(ColorProfiles.SRGB);
        }

        if (image.ColorSpace is not (ColorSpace.sRGB or ColorSpace.Gray))
        {
            image.ColorSpace = ColorSpace.sRGB;
        }
    }

    /// <summary>An unpremultiplied RGBA bitmap (opaque without alpha), copied a band of rows at a time.</summary>
    public static SKBitmap ToBitmap(MagickImage image)
    {
        int width = (int)image.Width;
        int height = (int)image.Height;
        SKAlphaType alpha = image.HasAlpha ? SKAlphaType.Unpremul : SKAlphaType.Opaque;
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, alpha, SKColorSpace.CreateSrgb()));
        try
        {
            using IUnsafePixelCollection<byte> pixels = image.GetPixelsUnsafe();
            IntPtr target = bitmap.GetPixels();
            for (int y = 0; y < height; y += RowsPerBand)
            {
                int rows = Math.Min(RowsPerBand, height - y);
                byte[] band = pixels.ToByteArray(0, y, (uint)width, (uint)rows, PixelMapping.RGBA)
                    ?? throw ImageRejectedException.Corrupt();
                Marshal.Copy(band, 0, target + y * bitmap.RowBytes, band.Length);
            }

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
