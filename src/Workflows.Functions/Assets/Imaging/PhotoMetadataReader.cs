using System.Globalization;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Xmp;
using MetadataExtractor.IO;
using XmpCore;
using Directory = MetadataExtractor.Directory;

namespace Workflows.Assets.Imaging;

/// <summary>
/// Reads camera, time and GPS with MetadataExtractor: EXIF first, XMP for make, model and taken-at when EXIF lacks
/// them. Where MetadataExtractor does not know the container (JPEG XL), the EXIF and XMP blocks the codec found are
/// parsed instead. Metadata is informative: a damaged block yields empty fields, never a rejected image.
/// </summary>
internal static class PhotoMetadataReader
{
    private const string TiffNs = "http://ns.adobe.com/tiff/1.0/";
    private const string ExifNs = "http://ns.adobe.com/exif/1.0/";
    private const string PhotoshopNs = "http://ns.adobe.com/photoshop/1.0/";
    private const string XmpNs = "http://ns.adobe.com/xap/1.0/";

    /// <summary>The metadata of <paramref name="content"/> (null: none to read), else of the codec's EXIF and XMP blocks.</summary>
    public static PhotoMetadata Read(Stream? content, byte[]? codecExif = null, byte[]? codecXmp = null)
    {
        List<Directory> directories = content is null ? [] : [.. Guard(() => ImageMetadataReader.ReadMetadata(content))];
        if (!directories.OfType<ExifIfd0Directory>().Any() && codecExif is { Length: > 0 })
        {
            int start = codecExif.AsSpan().StartsWith("Exif\0\0"u8) ? 6 : 0;
            directories.AddRange(Guard(() => new ExifReader().Extract(new ByteArrayReader(codecExif, start))));
        }

        if (!directories.OfType<XmpDirectory>().Any() && codecXmp is { Length: > 0 })
        {
            directories.AddRange(Guard(() => [new XmpReader().Extract(codecXmp)]));
        }

        ExifIfd0Directory? ifd0 = directories.OfType<ExifIfd0Directory>().FirstOrDefault();
        ExifSubIfdDirectory? subIfd = directories.OfType<ExifSubIfdDirectory>().FirstOrDefault();
        GeoLocation? location = directories.OfType<GpsDirectory>().FirstOrDefault()?.GetGeoLocation();
        IXmpMeta? xmp = directories.OfType<XmpDirectory>().FirstOrDefault()?.XmpMeta;

        // Original, else digitized; never IFD0's DateTime, which is when the file was last changed.
        DateTime? takenAt = null;
        if (subIfd is not null
            && (subIfd.TryGetDateTime(ExifDirectoryBase.TagDateTimeOriginal, out DateTime taken)
                || subIfd.TryGetDateTime(ExifDirectoryBase.TagDateTimeDigitized, out taken)))
        {
            takenAt = DateTime.SpecifyKind(taken, DateTimeKind.Unspecified);
        }

        bool hasLocation = location is { IsZero: false }
            && double.IsFinite(location.Latitude) && double.IsFinite(location.Longitude);
        return new PhotoMetadata(
            Clean(ifd0?.GetString(ExifDirectoryBase.TagMake)) ?? Clean(XmpText(xmp, TiffNs, "Make")),
            Clean(ifd0?.GetString(ExifDirectoryBase.TagModel)) ?? Clean(XmpText(xmp, TiffNs, "Model")),
            takenAt ?? XmpDate(xmp),
            hasLocation ? location!.Latitude : null,
            hasLocation ? location!.Longitude : null);
    }

    private static IEnumerable<Directory> Guard(Func<IEnumerable<Directory>> read)
    {
        try
        {
            return [.. read()];
        }
        // OutOfMemoryException: MetadataExtractor allocates the length a PNG chunk claims before reading it, and a claim
        // past the largest array throws it at once; a claim under it is allocated (up to 2 GB), so the inspector does not
        // hand MetadataExtractor a PNG whose chunk runs past its end (PngExtent.HasChunkPastEnd).
        catch (Exception ex) when (ex is ImageProcessingException or IOException or ArgumentException or IndexOutOfRangeException
            or InvalidOperationException or FormatException or OverflowException or XmpException or OutOfMemoryException)
        {
            return [];
        }
    }

    private static string? XmpText(IXmpMeta? xmp, string ns, string property)
    {
        try
        {
            return xmp?.GetPropertyString(ns, property);
        }
        catch (XmpException)
        {
            return null;
        }
    }

    // XMP dates are ISO 8601, often with the camera's UTC offset: keep the clock time, as EXIF does.
    private static DateTime? XmpDate(IXmpMeta? xmp)
    {
        string? text = XmpText(xmp, ExifNs, "DateTimeOriginal") ?? XmpText(xmp, PhotoshopNs, "DateCreated") ?? XmpText(xmp, XmpNs, "CreateDate");
        if (text is null || text.Length < 10)
        {
            return null;
        }

        bool parsed = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset value);
        return parsed ? DateTime.SpecifyKind(value.DateTime, DateTimeKind.Unspecified) : null;
    }

    // EXIF strings are NUL-padded fixed fields; keep them short and printable for the asset record.
    private static string? Clean(string? value)
    {
        string? trimmed = value?.Trim('\0', ' ');
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        string printable = new(trimmed.Where(c => !char.IsControl(c)).Take(64).ToArray());
        return printable.Length == 0 ? null : printable;
    }
}
