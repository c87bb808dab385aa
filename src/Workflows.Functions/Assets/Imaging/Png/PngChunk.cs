using System.Buffers.Binary;
using System.IO.Hashing;

namespace Workflows.Assets.Imaging.Png;

/// <summary>One chunk's framing (length, type, data, CRC of type and data), read the one way every PNG walk here reads it.</summary>
internal static class PngChunk
{
    /// <summary>Bytes of a chunk besides its data: length, type, CRC.</summary>
    public const int Frame = 12;

    /// <summary>
    /// The chunk at <paramref name="offset"/>, when it lies within the file and its CRC is right; <paramref name="next"/>
    /// is the offset after it.
    /// </summary>
    public static bool TryReadWhole(ReadOnlySpan<byte> file, int offset, out ReadOnlySpan<byte> type, out ReadOnlySpan<byte> data, out int next)
    {
        type = data = default;
        next = offset;
        uint length = BinaryPrimitives.ReadUInt32BigEndian(file[offset..]);
        if (length > (uint)(file.Length - offset - Frame))
        {
            return false;
        }

        next = offset + Frame + (int)length;
        if (!IsWhole(file, offset, next))
        {
            return false;
        }

        type = file.Slice(offset + 4, 4);
        data = file.Slice(offset + 8, (int)length);
        return true;
    }

    /// <summary>Whether the chunk from <paramref name="start"/> to <paramref name="end"/> carries the CRC of its type and data.</summary>
    public static bool IsWhole(ReadOnlySpan<byte> file, int start, int end) =>
        Crc32.HashToUInt32(file[(start + 4)..(end - 4)]) == BinaryPrimitives.ReadUInt32BigEndian(file[(end - 4)..]);
}
