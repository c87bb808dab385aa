using System.Globalization;

namespace Workflows.Assets.Imaging;

/// <summary>Rendition naming: <c>jpeg-1600</c>, stored as blob <c>{assetId}/jpeg-1600.jpg</c>.</summary>
public static class RenditionNames
{
    public static string FormatName(RenditionFormat format) => format switch
    {
        RenditionFormat.Jpeg => "jpeg",
        RenditionFormat.Webp => "webp",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public static string Extension(RenditionFormat format) => format switch
    {
        RenditionFormat.Jpeg => "jpg",
        RenditionFormat.Webp => "webp",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public static string ContentType(RenditionFormat format) => format switch
    {
        RenditionFormat.Jpeg => "image/jpeg",
        RenditionFormat.Webp => "image/webp",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary><c>jpeg-1600</c>.</summary>
    public static string RenditionName(RenditionFormat format, int profileWidth) =>
        $"{FormatName(format)}-{profileWidth.ToString(CultureInfo.InvariantCulture)}";

    /// <summary><c>{assetId}/{renditionName}.{ext}</c>. The asset id must already be validated (no path segments).</summary>
    public static string BlobName(string assetId, string renditionName, RenditionFormat format)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(assetId);
        ArgumentException.ThrowIfNullOrWhiteSpace(renditionName);
        return $"{assetId}/{renditionName}.{Extension(format)}";
    }

    /// <summary>Parses <c>jpeg-1600</c> back to its format and profile width; false for anything else.</summary>
    public static bool TryParse(string? renditionName, out RenditionFormat format, out int profileWidth)
    {
        format = default;
        profileWidth = 0;
        string[] parts = renditionName?.Split('-') ?? [];
        if (parts.Length != 2
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int width)
            || width <= 0)
        {
            return false;
        }

        switch (parts[0])
        {
            case "jpeg":
                format = RenditionFormat.Jpeg;
                break;
            case "webp":
                format = RenditionFormat.Webp;
                break;
            default:
                return false;
        }

        profileWidth = width;
        return true;
    }
}
