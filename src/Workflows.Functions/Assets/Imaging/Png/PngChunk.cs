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
    /// Whether every chunk from the signature to the first IEND lies within the file with its CRC right: the one CRC
    /// pass over a file. Every check of it then walks its chunks by their lengths alone (<see cref="Chunks"/>:
    /// <see cref="PngLayout"/>, <see cref="Skia.PngStructure"/>, <see cref="PngExtent.ReadsAsWalked"/>), holding nothing
    /// per chunk (a list of them took ~3x the size of a crafted file of empty chunks).
    /// </summary>
    public static bool WalkToEnd(ReadOnlySpan<byte> file)
    {
        for (int offset = 8; offset <= file.Length - Frame;)
        {
            if (!TryReadWhole(file, offset, out var type, out _, out int next))
            {
                return false;
            }

            if (type.SequenceEqual("IEND"u8))
            {
                return true;
            }

            offset = next;
        }

        return false;
    }

    /// <summary>
    /// The chunks from the signature to the first IEND by their lengths (no CRC): of a file <see cref="WalkToEnd"/> holds
    /// for. Stops at a chunk that would not fit the file.
    /// </summary>
    public static ChunkWalk Chunks(ReadOnlySpan<byte> file) => new(file);

    /// <summary>The enumerator of <see cref="Chunks"/>: each chunk's range, from its length to after its CRC.</summary>
    public ref struct ChunkWalk
    {
        private readonly ReadOnlySpan<byte> _file;
        private int _next;

        public ChunkWalk(ReadOnlySpan<byte> file)
        {
            _file = file;
            _next = 8;
        }

        public ByteRange Current { get; private set; }

        public readonly ChunkWalk GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_next < 0 || _next > _file.Length - Frame)
            {
                return false;
            }

            long end = _next + Frame + (long)BinaryPrimitives.ReadUInt32BigEndian(_file[_next..]);
            if (end > _file.Length)
            {
                return false;
            }

            Current = new ByteRange(_next, end);
            _next = _file.Slice(_next + 4, 4).SequenceEqual("IEND"u8) ? -1 : (int)end;
            return true;
        }
    }

    /// <summary>The type of a chunk <see cref="Chunks"/> found.</summary>
    public static ReadOnlySpan<byte> Type(ReadOnlySpan<byte> file, ByteRange chunk) => file.Slice((int)chunk.Start + 4, 4);

    /// <summary>The data of a chunk <see cref="Chunks"/> found.</summary>
    public static ReadOnlySpan<byte> Data(ReadOnlySpan<byte> file, ByteRange chunk) => file[((int)chunk.Start + 8)..((int)chunk.End - 4)];

    /// <summary>Whether the chunk from <paramref name="start"/> to <paramref name="end"/> carries the CRC of its type and data.</summary>
    public static bool IsWhole(ReadOnlySpan<byte> file, int start, int end) =>
        Crc32.HashToUInt32(file[(start + 4)..(end - 4)]) == BinaryPrimitives.ReadUInt32BigEndian(file[(end - 4)..]);
}
