namespace Workflows.Assets.Imaging;

/// <summary>
/// Every format the imaging core accepts, with its content type and file extension: the one list the upload
/// endpoint, inspection and the README describe. Skia decodes the first five; Magick.NET the rest.
/// </summary>
public static class ImageFormats
{
    private static readonly Dictionary<ImageFormat, (string ContentType, string Extension)> Types = new()
    {
        [ImageFormat.Jpeg] = ("image/jpeg", ".jpg"),
        [ImageFormat.Png] = ("image/png", ".png"),
        [ImageFormat.Webp] = ("image/webp", ".webp"),
        [ImageFormat.Gif] = ("image/gif", ".gif"),
        [ImageFormat.Bmp] = ("image/bmp", ".bmp"),
        [ImageFormat.Tiff] = ("image/tiff", ".tif"),
        [ImageFormat.Heic] = ("image/heic", ".heic"),
        [ImageFormat.Heif] = ("image/heif", ".heif"),
        [ImageFormat.Avif] = ("image/avif", ".avif"),
        [ImageFormat.JpegXl] = ("image/jxl", ".jxl"),
        [ImageFormat.Psd] = ("image/vnd.adobe.photoshop", ".psd"),
        [ImageFormat.Dng] = ("image/x-adobe-dng", ".dng"),
        [ImageFormat.Cr2] = ("image/x-canon-cr2", ".cr2"),
        [ImageFormat.Cr3] = ("image/x-canon-cr3", ".cr3"),
        [ImageFormat.Nef] = ("image/x-nikon-nef", ".nef"),
        [ImageFormat.Arw] = ("image/x-sony-arw", ".arw"),
    };

    /// <summary>Content type an upload may declare → the extension of its default name (the content is checked again).</summary>
    public static IReadOnlyDictionary<string, string> UploadContentTypes { get; } =
        Types.Values.ToDictionary(t => t.ContentType, t => t.Extension, StringComparer.OrdinalIgnoreCase);

    /// <summary>What users call the accepted formats, for rejection messages.</summary>
    public const string AcceptedNames = "JPEG, PNG, WebP, GIF, BMP, TIFF, HEIC/HEIF, AVIF, JPEG XL, PSD or camera RAW (DNG, CR2, CR3, NEF, ARW)";

    public static string ContentType(ImageFormat format) => Types[format].ContentType;

    /// <summary>True for the formats Skia decodes (with reduced-scale JPEG decoding); the rest go through Magick.NET.</summary>
    public static bool IsSkia(ImageFormat format) => format <= ImageFormat.Bmp;

    /// <summary>Camera RAW, read through libraw.</summary>
    public static bool IsCameraRaw(ImageFormat format) => format is ImageFormat.Dng or ImageFormat.Cr2 or ImageFormat.Cr3 or ImageFormat.Nef or ImageFormat.Arw;
}
