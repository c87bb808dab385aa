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

    /// <summary>
    /// Every chunk from the signature to the first IEND, each within the file with its CRC right: the one CRC pass over
    /// a file, which every check of it then shares (<see cref="PngLayout"/>, <see cref="Skia.PngStructure"/>,
    /// <see cref="PngExtent.ReadsAsWalked"/>); null when a chunk is not whole, or there is no IEND.
    /// </summary>
    public static List<ByteRange>? WalkToEnd(ReadOnlySpan<byte> file)
    {
        List<ByteRange> chunks = [];
        for (int offset = 8; offset <= file.Length - Frame;)
        {
            if (!TryReadWhole(file, offset, out var type, out _, out int next))
            {
                return null;
            }

            chunks.Add(new ByteRange(offset, next));
            if (type.SequenceEqual("IEND"u8))
            {
                return chunks;
            }

            offset = next;
        }

        return null;
    }

    /// <summary>The type of a chunk <see cref="WalkToEnd"/> found.</summary>
    public static ReadOnlySpan<byte> Type(ReadOnlySpan<byte> file, ByteRange chunk) => file.Slice((int)chunk.Start + 4, 4);

    /// <summary>The data of a chunk <see cref="WalkToEnd"/> found.</summary>
    public static ReadOnlySpan<byte> Data(ReadOnlySpan<byte> file, ByteRange chunk) => file[((int)chunk.Start + 8)..((int)chunk.End - 4)];

    /// <summary>Whether the chunk from <paramref name="start"/> to <paramref name="end"/> carries the CRC of its type and data.</summary>
    public static bool IsWhole(ReadOnlySpan<byte> file, int start, int end) =>
        Crc32.HashToUInt32(file[(start + 4)..(end - 4)]) == BinaryPrimitives.ReadUInt32BigEndian(file[(end - 4)..]);
}
