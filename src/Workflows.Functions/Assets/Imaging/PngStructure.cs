using System.Buffers.Binary;
using System.IO.Hashing;

namespace Workflows.Assets.Imaging;

/// <summary>
/// Checks a PNG's chunk framing and CRCs up to IEND without inflating anything. Skia offers no scanline decode
/// for PNG, so a verifying decode would hold the whole bitmap (400 MB at the 100 MP limit); this holds nothing.
/// </summary>
internal static class PngStructure
{
    public static bool IsComplete(ReadOnlySpan<byte> png)
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
