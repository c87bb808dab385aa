using System.Globalization;
using ImageMagick;

namespace Workflows.Tests.TestSupport;

/// <summary>The metadata the Magick-written test pictures carry: EXIF profiles, XMP packets, Photoshop resources.</summary>
public static partial class TestImages
{
    /// <summary>An XMP packet with the camera and capture time, as Lightroom or a phone writes it.</summary>
    public static string Xmp(string? make, string? model, DateTime takenAt) => $"""
        <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
        <rdf:Description rdf:about="" xmlns:tiff="http://ns.adobe.com/tiff/1.0/" xmlns:exif="http://ns.adobe.com/exif/1.0/"
          {(make is null ? "" : $"tiff:Make=\"{make}\"")} {(model is null ? "" : $"tiff:Model=\"{model}\"")}
          exif:DateTimeOriginal="{takenAt.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)}+02:00"/>
        </rdf:RDF></x:xmpmeta>
        """;

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
