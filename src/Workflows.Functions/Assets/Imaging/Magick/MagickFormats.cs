using ImageMagick;

namespace Workflows.Assets.Imaging.Magick;

/// <summary>The ImageMagick coder for each format it decodes for us (see <see cref="MagickRuntime.Coders"/>).</summary>
internal static class MagickFormats
{
    public static MagickFormat Of(ImageFormat format) => format switch
    {
        ImageFormat.Tiff => MagickFormat.Tiff,
        ImageFormat.Heic => MagickFormat.Heic,
        ImageFormat.Heif => MagickFormat.Heif,
        ImageFormat.Avif => MagickFormat.Avif,
        ImageFormat.JpegXl => MagickFormat.Jxl,
        ImageFormat.Psd => MagickFormat.Psd,
        ImageFormat.Dng => MagickFormat.Dng,
        ImageFormat.Cr2 => MagickFormat.Cr2,
        ImageFormat.Cr3 => MagickFormat.Cr3,
        ImageFormat.Nef => MagickFormat.Nef,
        ImageFormat.Arw => MagickFormat.Arw,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "decoded by Skia"),
    };
}
