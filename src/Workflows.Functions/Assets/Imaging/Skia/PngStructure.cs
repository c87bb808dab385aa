using System.Buffers.Binary;
using System.IO.Hashing;

namespace Workflows.Assets.Imaging.Skia;

/// <summary>
/// Whether a PNG is complete: every chunk's framing and CRC up to IEND, with a header and pixel data before it.
/// Nothing is inflated: a short or broken pixel stream (rows missing, not zlib, bad filter types) fails the decode
/// itself, but libpng renders a file cut after its last row, or with a damaged ancillary chunk, without an error.
/// </summary>
internal static class PngStructure
{
    public static bool IsComplete(ReadOnlySpan<byte> png)
    {
        bool header = false;
        bool imageData = false;
        int offset = 8; // signature
        while (offset <= png.Length - 12)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(png[offset..]);
            if (length > (uint)(png.Length - offset - 12))
            {
                return false;
            }

            ReadOnlySpan<byte> typeAndData = png.Slice(offset + 4, 4 + (int)length);
            if (Crc32.HashToUInt32(typeAndData) != BinaryPrimitives.ReadUInt32BigEndian(png[(offset + 8 + (int)length)..]))
            {
                return false;
            }

            ReadOnlySpan<byte> type = typeAndData[..4];
            header |= type.SequenceEqual("IHDR"u8) && length == 13;
            imageData |= type.SequenceEqual("IDAT"u8);
            if (type.SequenceEqual("IEND"u8))
            {
                return header && imageData;
            }

            offset += 12 + (int)length;
        }

        return false;
    }
}
