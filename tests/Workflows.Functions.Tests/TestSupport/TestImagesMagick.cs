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

    public static byte[] Avif(int width, int height, TestExif? exif = null) =>
        WithMagick(width, height, MagickFormat.Avif, image => Tag(image, exif));

    /// <summary>A PSD (composite plus one layer) whose image resources carry EXIF (1058) and/or XMP (1060).</summary>
    public static byte[] Psd(int width, int height, TestExif? exif = null, string? xmp = null) =>
        WithMagick(width, height, MagickFormat.Psd, image =>
        {
            List<(ushort Id, byte[] Data)> resources = [];
            if (exif is not null)
            {
                resources.Add((1058, TiffBlock(ExifOf(exif))));
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

    /// <summary>An XMP packet with the camera and capture time, as Lightroom or a phone writes it.</summary>
    public static string Xmp(string? make, string? model, DateTime takenAt) => $"""
        <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
        <rdf:Description rdf:about="" xmlns:tiff="http://ns.adobe.com/tiff/1.0/" xmlns:exif="http://ns.adobe.com/exif/1.0/"
          {(make is null ? "" : $"tiff:Make=\"{make}\"")} {(model is null ? "" : $"tiff:Model=\"{model}\"")}
          exif:DateTimeOriginal="{takenAt.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)}+02:00"/>
        </rdf:RDF></x:xmpmeta>
        """;

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

    private static void Tag(MagickImage image, TestExif? exif)
    {
        if (exif is not null)
        {
            image.SetProfile(ExifOf(exif));
            image.Orientation = (Orientation)exif.Orientation;
        }
    }

    private static ExifProfile ExifOf(TestExif exif)
    {
        var profile = new ExifProfile();
        profile.SetValue(ExifTag.Orientation, (ushort)exif.Orientation);
        if (exif.Make is not null)
        {
            profile.SetValue(ExifTag.Make, exif.Make);
        }

        if (exif.Model is not null)
        {
            profile.SetValue(ExifTag.Model, exif.Model);
        }

        if (exif.TakenAt is { } takenAt)
        {
            profile.SetValue(ExifTag.DateTimeOriginal, takenAt.ToString("yyyy:MM:dd HH:mm:ss", CultureInfo.InvariantCulture));
        }

        if (exif is { Latitude: { } lat, Longitude: { } lon })
        {
            profile.SetValue(ExifTag.GPSLatitudeRef, lat >= 0 ? "N" : "S");
            profile.SetValue(ExifTag.GPSLatitude, Rationals(TestImagesTiffIfd.Dms(lat)));
            profile.SetValue(ExifTag.GPSLongitudeRef, lon >= 0 ? "E" : "W");
            profile.SetValue(ExifTag.GPSLongitude, Rationals(TestImagesTiffIfd.Dms(lon)));
        }

        return profile;
    }

    private static Rational[] Rationals(uint[] fractions) => [.. fractions.Chunk(2).Select(f => new Rational(f[0], f[1]))];

    // Photoshop's EXIF resource holds the TIFF block itself, without the "Exif\0\0" of a JPEG APP1 segment.
    private static byte[] TiffBlock(ExifProfile exif)
    {
        byte[] bytes = exif.ToByteArray() ?? [];
        return bytes.AsSpan().StartsWith("Exif\0\0"u8) ? bytes[6..] : bytes;
    }

    private static byte[] PhotoshopResources(List<(ushort Id, byte[] Data)> resources)
    {
        using var output = new MemoryStream();
        foreach ((ushort id, byte[] data) in resources)
        {
            output.Write("8BIM"u8);
            output.Write([(byte)(id >> 8), (byte)id, 0, 0]); // id, then an empty name padded to even length
            var size = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(size, data.Length);
            output.Write(size);
            output.Write(data);
            if (data.Length % 2 == 1)
            {
                output.WriteByte(0);
            }
        }

        return output.ToArray();
    }
}
