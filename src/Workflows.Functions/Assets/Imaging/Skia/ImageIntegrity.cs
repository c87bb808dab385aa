using SkiaSharp;
namespace Workflows.Assets.Imaging.Skia;

/// <summary>The structure checks that catch, without decoding, the incomplete uploads Skia's decode would accept.</summary>
internal static class ImageIntegrity
{
    /// <summary>
    /// A JPEG must run to its end marker (<see cref="JpegStructure"/>: libjpeg renders a progressive JPEG cut short as
    /// a blur, without an error); a PNG must have every chunk whole with its CRC right up to IEND and a pixel stream
    /// that inflates to exactly its rows with a right zlib checksum (<see cref="PngStructure"/>: libpng renders a PNG
    /// cut anywhere after its last pixel row, or whose stream turns to garbage after the rows, without an error); a
    /// WebP's RIFF chunks must all be there (<see cref="WebpStructure"/>: libwebp renders one cut in its trailing
    /// EXIF/XMP). Nothing is decoded: whatever else is wrong with the pixels (a baseline scan cut short, a broken scan,
    /// WebP image data, a GIF or BMP cut short) fails the rendering's one decode, which rejects any result but success
    /// (<see cref="SkiaDecoding.Decode"/>).
    /// </summary>
    public static void Verify(SKEncodedImageFormat format, SKData content)
    {
        bool complete = format switch
        {
            SKEncodedImageFormat.Png => PngStructure.IsComplete(content),
            SKEncodedImageFormat.Jpeg => JpegStructure.IsComplete(content.Span),
            SKEncodedImageFormat.Webp => WebpStructure.IsComplete(content.Span),
            _ => true,
        };
        if (!complete)
        {
            throw ImageRejectedException.Corrupt();
        }
    }
}
