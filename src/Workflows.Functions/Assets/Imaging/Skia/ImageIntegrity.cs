using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using SkiaSharp;
namespace Workflows.Assets.Imaging.Skia;

/// <summary>Checks that an upload is complete and well-formed before any rendition branch starts.</summary>
internal static class ImageIntegrity
{
    /// <summary>
    /// Proves the data is complete and well-formed (a truncated upload fails here) while holding little memory:
    /// JPEG and BMP decode every row once, at the smallest scale, into a single reused row; PNG (no scanline decode
    /// in Skia) has its chunks and CRCs checked; WebP decodes at 1/8 scale; GIF decodes its first frame.
    /// </summary>
    public static void Verify(SKCodec codec, ReadOnlySpan<byte> content)
    {
        if (codec.EncodedFormat == SKEncodedImageFormat.Png)
        {
            if (!PngIsComplete(content))
            {
                throw ImageRejectedException.Corrupt();
            }

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

    // Chunk framing and CRCs up to IEND, nothing inflated: Skia has no scanline decode for PNG, so a verifying
    // decode would hold the whole bitmap (400 MB at the 100 MP limit).
    private static bool PngIsComplete(ReadOnlySpan<byte> png)
    {
        bool sawImageData = false;
        int offset = 8; // signature
        while (offset <= png.Length - 12)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(png[offset..]);
            if (length > (uint)(png.Length - offset - 12))
            {
                return false;
            }

            ReadOnlySpan<byte> typeAndData = png.Slice(offset + 4, 4 + (int)length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png[(offset + 8 + (int)length)..]);
            if (Crc32.HashToUInt32(typeAndData) != crc)
            {
                return false;
            }

            ReadOnlySpan<byte> type = typeAndData[..4];
            sawImageData |= type.SequenceEqual("IDAT"u8);
            if (type.SequenceEqual("IEND"u8))
            {
                return sawImageData;
            }

            offset += 12 + (int)length;
        }

        return false;
    }
}
