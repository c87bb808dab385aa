using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using Directory = MetadataExtractor.Directory;

namespace Workflows.Assets.Imaging;

/// <summary>
/// Reads camera, time and GPS from EXIF with MetadataExtractor. Metadata is informative: a damaged EXIF block
/// yields <see cref="PhotoMetadata.None"/> fields, never a rejected image (Skia judges the pixels).
/// </summary>
internal static class PhotoMetadataReader
{
    public static PhotoMetadata Read(Stream content)
    {
        IReadOnlyList<Directory> directories;
        try
        {
            directories = ImageMetadataReader.ReadMetadata(content);
        }
        catch (Exception ex) when (ex is ImageProcessingException or IOException or ArgumentException or IndexOutOfRangeException
            or InvalidOperationException or FormatException or OverflowException)
        {
            return PhotoMetadata.None;
        }

        ExifIfd0Directory? ifd0 = directories.OfType<ExifIfd0Directory>().FirstOrDefault();
        ExifSubIfdDirectory? subIfd = directories.OfType<ExifSubIfdDirectory>().FirstOrDefault();
        GeoLocation? location = directories.OfType<GpsDirectory>().FirstOrDefault()?.GetGeoLocation();

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
            Clean(ifd0?.GetString(ExifDirectoryBase.TagMake)),
            Clean(ifd0?.GetString(ExifDirectoryBase.TagModel)),
            takenAt,
            hasLocation ? location!.Latitude : null,
            hasLocation ? location!.Longitude : null);
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
