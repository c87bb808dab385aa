using System.Runtime.InteropServices;
using SkiaSharp;
namespace Workflows.Assets.Imaging.Skia;

/// <summary>Checks that an upload is complete and well-formed before any rendition is rendered.</summary>
internal static class ImageIntegrity
{
    /// <summary>
    /// Proves the data is complete and well-formed (a truncated upload fails here) while holding little memory:
    /// JPEG must run to its end marker (see <see cref="JpegStructure"/>), then JPEG and BMP decode every row once,
    /// at the smallest scale, into a single reused row; PNG (no scanline decode in Skia) has its chunks, CRCs and
    /// inflated pixel stream checked (<see cref="PngStructure"/>); WebP decodes at 1/8 scale; GIF its first frame.
    /// </summary>
    public static void Verify(SKCodec codec, SKData content)
    {
        bool complete = codec.EncodedFormat switch
        {
            SKEncodedImageFormat.Png => PngStructure.IsComplete(content),
            SKEncodedImageFormat.Jpeg => JpegStructure.IsComplete(content.Span),
            _ => true,
        };
        if (!complete)
        {
            throw ImageRejectedException.Corrupt();
        }

        if (codec.EncodedFormat == SKEncodedImageFormat.Png)
        {
            return;
        }

        SKSizeI size = codec.GetScaledDimensions(1 / 8f);
        var info = new SKImageInfo(size.Width, size.Height, SKImageInfo.PlatformColorType, SKAlphaType.Premul);
        if (codec.StartScanlineDecode(info) == SKCodecResult.Success)
        {
            IntPtr row = Marshal.AllocHGlobal(info.RowBytes);
            try
            {
                for (int y = 0; y < info.Height; y++)
                {
                    if (codec.GetScanlines(row, 1, info.RowBytes) != 1)
                    {
                        throw ImageRejectedException.Corrupt();
                    }
                }
            }
            finally
            {
                Marshal.FreeHGlobal(row);
            }

            return;
        }

        using SKBitmap frame = SkiaDecoding.Decode(codec, 1);
    }
}
