using System.Globalization;
using System.Text;
using ImageMagick;
using SkiaSharp;
using Workflows.Assets.Imaging.Magick;

namespace Workflows.Tests.TestSupport;

/// <summary>
/// Test pictures in the formats Magick.NET writes (JPEG XL, AVIF, PSD, TIFF of every kind), painted like the others
/// (marker in the stored top-left corner). The app's security policy is installed first, so fixtures are written
/// through the same coders the app reads with.
/// </summary>
public static partial class TestImages
{
    /// <summary>A JPEG XL with the orientation in its codestream and EXIF (camera, time, GPS) in an Exif box.</summary>
    public static byte[] JpegXl(int width, int height, TestExif? exif = null) =>
        WithMagick(width, height, MagickFormat.Jxl, image => Tag(image, exif));

    /// <summary>A JPEG XL of <paramref name="picture"/> (RGBA 8888; disposed) at <paramref name="quality"/>.</summary>
    public static byte[] JpegXl(SKBitmap picture, int quality)
    {
        MagickRuntime.EnsureInitialized();
        using MagickImage image = FromSkia(picture);
        image.Quality = (uint)quality;
        return image.ToByteArray(MagickFormat.Jxl);
    }

    public static byte[] Avif(int width, int height, TestExif? exif = null) =>
        WithMagick(width, height, MagickFormat.Avif, image => Tag(image, exif));

    /// <summary>
    /// A PSD (composite plus one layer, as stored: not turned) whose image resources carry EXIF (1058, with its
    /// Orientation) and/or XMP (1060).
    /// </summary>
    public static byte[] Psd(int width, int height, TestExif? exif = null, string? xmp = null) =>
        WithMagick(width, height, MagickFormat.Psd, image =>
        {
            List<(ushort Id, byte[] Data)> resources = [];
            if (exif is not null)
            {
                resources.Add((1058, TiffBlock(ExifOf(exif))));

                // ImageMagick rewrites the EXIF resource's Orientation with the image's own when it writes the PSD.
                image.Orientation = (ImageMagick.Orientation)exif.Orientation;
            }

            if (xmp is not null)
            {
                resources.Add((1060, Encoding.UTF8.GetBytes(xmp)));
            }

            image.SetProfile(new ImageProfile("8bim", PhotoshopResources(resources)));
        });

    /// <summary>
    /// A print-shop TIFF: CMYK converted from the picture through U.S. Web Coated (SWOP), that ICC profile embedded,
    /// JPEG-compressed; make and model in IFD0 and the capture time only in XMP (libtiff writes no EXIF IFD).
    /// </summary>
    public static byte[] CmykJpegTiff(int width, int height, string make, string model, DateTime takenAt) =>
        WithMagick(width, height, MagickFormat.Tiff, image =>
        {
            image.SetProfile(ColorProfiles.SRGB);
            image.TransformColorSpace(ColorProfiles.USWebCoatedSWOP);
            image.Settings.Compression = CompressionMethod.JPEG;
            image.SetArtifact("tiff:make", make);
            image.SetArtifact("tiff:model", model);
            image.SetProfile(new XmpProfile(Encoding.UTF8.GetBytes(Xmp(null, null, takenAt))));
        });

    /// <summary>A TIFF written by libtiff with <paramref name="configure"/> applied (compression, depth, colour space...).</summary>
    public static byte[] MagickTiff(int width, int height, Action<MagickImage> configure) =>
        WithMagick(width, height, MagickFormat.Tiff, configure);

    /// <summary>A two-page TIFF: the picture, then a plain blue page.</summary>
    public static byte[] TwoPageTiff(int width, int height)
    {
        MagickRuntime.EnsureInitialized();
        using var pages = new MagickImageCollection { FromSkia(Paint(width, height)), FromSkia(Solid(width, height, SKColors.Blue)) };
        return pages.ToByteArray(MagickFormat.Tiff);
    }

    private static byte[] WithMagick(int width, int height, MagickFormat format, Action<MagickImage> configure)
    {
        MagickRuntime.EnsureInitialized();
        using MagickImage image = FromSkia(Paint(width, height));
        configure(image);
        return image.ToByteArray(format);
    }

    private static MagickImage FromSkia(SKBitmap bitmap)
    {
        using (bitmap)
        {
            byte[] rgba = bitmap.GetPixelSpan().ToArray();
            byte[] rgb = [.. rgba.Where((_, i) => i % 4 != 3)];
            var image = new MagickImage();
            image.ReadPixels(rgb, new PixelReadSettings((uint)bitmap.Width, (uint)bitmap.Height, StorageType.Char, PixelMapping.RGB));
            return image;
        }
    }

    private static SKBitmap Solid(int width, int height, SKColor colour)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        bitmap.Erase(colour);
        return bitmap;
    }
}
