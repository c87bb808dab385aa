using System.Buffers.Binary;

namespace Workflows.Assets.Imaging.Tiff;

/// <summary>
/// The first image file directory (IFD0) of a classic TIFF: tag → (type, count, value). Only IFD0 is read (first
/// page); the next-IFD pointer is never followed, so a looping chain costs nothing. Every offset is bounds-checked.
/// </summary>
internal sealed class TiffDirectory
{
    // IFD0 of a real file has a few dozen tags; more is garbage or an attack on our parsing time.
    private const int MaxEntries = 1_000;

    private readonly ArraySegment<byte> _file;
    private readonly Dictionary<ushort, (ushort Type, uint Count, int ValueAt)> _entries = [];

    private TiffDirectory(ArraySegment<byte> file, bool littleEndian)
    {
        _file = file;
        LittleEndian = littleEndian;
    }

    public bool LittleEndian { get; }

    public int FileLength => _file.Count;

    public static TiffDirectory Read(ArraySegment<byte> file)
    {
        ReadOnlySpan<byte> bytes = file;
        if (bytes.Length < 8)
        {
            throw ImageRejectedException.Corrupt();
        }

        var directory = new TiffDirectory(file, bytes[0] == (byte)'I');
        ushort version = directory.UInt16(2);
        if (version == 43)
        {
            throw TiffRejections.BigTiff();
        }

        uint ifd = directory.UInt32(4);
        if (version != 42 || ifd < 8 || ifd > bytes.Length - 2)
        {
            throw ImageRejectedException.Corrupt();
        }

        int count = directory.UInt16((int)ifd);
        if (count is 0 or > MaxEntries || ifd + 2 + 12L * count > bytes.Length)
        {
            throw ImageRejectedException.Corrupt();
        }

        for (int i = 0; i < count; i++)
        {
            int at = (int)ifd + 2 + 12 * i;
            ushort type = directory.UInt16(at + 2);
            uint valueCount = directory.UInt32(at + 4);
            long size = (long)valueCount * TypeSize(type);
            int valueAt = size <= 4 ? at + 8 : (int)Math.Min(directory.UInt32(at + 8), int.MaxValue);
            if (TypeSize(type) == 0 || valueAt + size > bytes.Length)
            {
                continue; // an unknown type or out-of-file value: treat as absent; required tags are checked later
            }

            directory._entries.TryAdd(directory.UInt16(at), (type, valueCount, valueAt));
        }

        return directory;
    }

    public bool Has(ushort tag) => _entries.ContainsKey(tag);

    /// <summary>The tag's first value (BYTE, SHORT or LONG), or <paramref name="fallback"/> when absent.</summary>
    public uint Single(ushort tag, uint fallback) => _entries.ContainsKey(tag) ? Values(tag, 1, 1)[0] : fallback;

    /// <summary>
    /// The tag's values (BYTE, SHORT or LONG): at least <paramref name="minCount"/>, and no more than
    /// <paramref name="maxCount"/> are read, so a forged count cannot make us allocate.
    /// </summary>
    public uint[] Values(ushort tag, int minCount, int maxCount)
    {
        if (!_entries.TryGetValue(tag, out var entry) || entry.Count < minCount || entry.Type is not (1 or 3 or 4))
        {
            throw ImageRejectedException.Corrupt();
        }

        var values = new uint[Math.Min(entry.Count, (uint)maxCount)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = entry.Type switch
            {
                1 => _file[entry.ValueAt + i],
                3 => UInt16(entry.ValueAt + 2 * i),
                _ => UInt32(entry.ValueAt + 4 * i),
            };
        }

        return values;
    }

    private ushort UInt16(int at)
    {
        ReadOnlySpan<byte> bytes = ((ReadOnlySpan<byte>)_file).Slice(at, 2);
        return LittleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(bytes) : BinaryPrimitives.ReadUInt16BigEndian(bytes);
    }

    private uint UInt32(int at)
    {
        ReadOnlySpan<byte> bytes = ((ReadOnlySpan<byte>)_file).Slice(at, 4);
        return LittleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private static int TypeSize(ushort type) => type switch
    {
        1 or 2 or 6 or 7 => 1,
        3 or 8 => 2,
        4 or 9 or 11 or 13 => 4,
        5 or 10 or 12 => 8,
        _ => 0,
    };
}
