namespace Workflows.Assets.Imaging;

/// <summary>
/// Formats we decode (see <see cref="ImageFormats"/>). Detected from the content, never from the name or the declared
/// content type. The first five go through Skia, the rest through Magick.NET.
/// </summary>
public enum ImageFormat
{
    Jpeg,
    Png,
    Webp,
    Gif,
    Bmp,

    /// <summary>Any TIFF libtiff reads; first page.</summary>
    Tiff,

    /// <summary>HEIF with HEVC (phones).</summary>
    Heic,

    /// <summary>HEIF with another codec.</summary>
    Heif,
    Avif,
    JpegXl,

    /// <summary>Photoshop (PSD or PSB): the flattened composite.</summary>
    Psd,
    Dng,
    Cr2,
    Cr3,
    Nef,
    Arw,
}

/// <summary>What inspection learnt about an original, without keeping its pixels.</summary>
/// <param name="Width">Stored width in pixels (before EXIF orientation).</param>
/// <param name="Height">Stored height in pixels (before EXIF orientation).</param>
/// <param name="Orientation">EXIF orientation 1-8 (1 = upright); renditions apply it.</param>
public sealed record ImageInspection(
    ImageFormat Format,
    string ContentType,
    int Width,
    int Height,
    int Orientation,
    PhotoMetadata Metadata)
{
    /// <summary>True when the orientation turns the image a quarter (5-8): upright width is the stored height.</summary>
    public bool SwapsAxes => Orientation >= 5;

    public int UprightWidth => SwapsAxes ? Height : Width;

    public int UprightHeight => SwapsAxes ? Width : Height;
}

/// <summary>Camera metadata from EXIF (XMP fills in make, model and taken-at where EXIF lacks them); every field is optional.</summary>
/// <param name="TakenAt">When the photo was taken, as recorded: camera-local time, Kind Unspecified (EXIF carries no zone).</param>
public sealed record PhotoMetadata(
    string? CameraMake,
    string? CameraModel,
    DateTime? TakenAt,
    double? Latitude,
    double? Longitude)
{
    public static PhotoMetadata None { get; } = new(null, null, null, null, null);
}
