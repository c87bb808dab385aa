using System.Globalization;

namespace Workflows.Assets.Imaging.Tiff;

/// <summary>Why a TIFF variant is not accepted, in words an uploader can act on.</summary>
internal static class TiffRejections
{
    private const string Remedy = "save it as an uncompressed, LZW, Deflate or PackBits RGB or greyscale TIFF, or upload a JPEG or PNG.";

    public static ImageRejectedException BigTiff() =>
        new($"This TIFF is a BigTIFF (64-bit offsets), which is not supported; {Remedy}");

    public static ImageRejectedException Compression(uint compression) => new(compression switch
    {
        6 or 7 => $"This TIFF uses JPEG compression, which is not supported; {Remedy}",
        2 or 3 or 4 => $"This TIFF uses fax (CCITT) compression, which is not supported; {Remedy}",
        34712 => $"This TIFF uses JPEG 2000 compression, which is not supported; {Remedy}",
        _ => string.Create(CultureInfo.InvariantCulture, $"This TIFF uses compression scheme {compression}, which is not supported; {Remedy}"),
    });

    public static ImageRejectedException Photometric(uint photometric) => new(photometric switch
    {
        5 => $"This TIFF is in CMYK, which is not supported; convert it to RGB: {Remedy}",
        6 => $"This TIFF is in YCbCr, which is not supported; {Remedy}",
        8 or 9 or 10 => $"This TIFF is in CIE L*a*b*, which is not supported; convert it to RGB: {Remedy}",
        _ => string.Create(CultureInfo.InvariantCulture, $"This TIFF uses colour model {photometric}, which is not supported; {Remedy}"),
    });

    public static ImageRejectedException Samples(string what) =>
        new($"This TIFF has {what}, which is not supported (8 or 16 bits per channel, 1 to 4 channels); {Remedy}");
}
