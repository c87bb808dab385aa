namespace Workflows.Assets.Imaging;

/// <summary>Rendition naming: <c>jpeg-1600</c>, stored as blob <c>{assetId}/jpeg-1600.jpg</c>.</summary>
public static class RenditionNames
{
    public static string FormatName(RenditionFormat format) => format switch
    {
        RenditionFormat.Jpeg => "jpeg",
        RenditionFormat.Webp => "webp",
        RenditionFormat.Avif => "avif",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public static string Extension(RenditionFormat format) => format switch
    {
        RenditionFormat.Jpeg => "jpg",
        RenditionFormat.Webp => "webp",
        RenditionFormat.Avif => "avif",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public static string ContentType(RenditionFormat format) => format switch
    {
        RenditionFormat.Jpeg => "image/jpeg",
        RenditionFormat.Webp => "image/webp",
        RenditionFormat.Avif => "image/avif",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary><c>jpeg-1600</c>, <c>webp-1600x1200</c>.</summary>
    public static string RenditionName(RenditionFormat format, RenditionSize size) => $"{FormatName(format)}-{size.Name}";

    /// <summary><c>{assetId}/{renditionName}.{ext}</c>. The asset id must already be validated (no path segments).</summary>
    public static string BlobName(string assetId, string renditionName, RenditionFormat format)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(assetId);
        ArgumentException.ThrowIfNullOrWhiteSpace(renditionName);
        return $"{assetId}/{renditionName}.{Extension(format)}";
    }
}
