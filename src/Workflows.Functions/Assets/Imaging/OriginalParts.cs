namespace Workflows.Assets.Imaging;

/// <summary>A range of an original's bytes, <see cref="Start"/> inclusive, <see cref="End"/> exclusive.</summary>
internal readonly record struct ByteRange(long Start, long End)
{
    public long Length => End - Start;
}

/// <summary>
/// The parts of an original that inspection has read so far (<see cref="InspectionExtent"/> says which to read next):
/// ranges with their bytes (adjacent ones joined, so a part is followed by an unread byte), and how many reads and
/// bytes that took.
/// </summary>
internal sealed class OriginalParts(long length)
{
    private readonly List<(long Start, byte[] Bytes)> _parts = [];

    /// <summary>The whole file's length.</summary>
    public long Length { get; } = length;

    public int Reads { get; private set; }

    public long BytesRead { get; private set; }

    /// <summary>The bytes read from the start of the file without a gap.</summary>
    public ReadOnlySpan<byte> Prefix => _parts is [(0, var first), ..] ? first : [];

    public long PrefixEnd => Prefix.Length;

    /// <summary>Where the part read up to the end of the file starts; <see cref="Length"/> when the last byte is unread.</summary>
    public long SuffixStart => _parts is [.., var (start, last)] && start + last.Length == Length ? start : Length;

    /// <summary>Adds one read, joined to the parts it touches; one that covers later parts (the rest of the file) replaces them.</summary>
    public void Add(long start, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + bytes.Length, Length);
        long end = start + bytes.Length;
        if (_parts.Any(p => p.Start < end && p.Start + p.Bytes.Length > start && (p.Start < start || p.Start + p.Bytes.Length > end)))
        {
            throw new ArgumentException($"Bytes {start}-{end} overlap a part already read.", nameof(start));
        }

        Reads++;
        BytesRead += bytes.Length;
        _parts.RemoveAll(p => p.Start >= start && p.Start + p.Bytes.Length <= end);
        int at = _parts.FindIndex(p => p.Start > start);
        at = at < 0 ? _parts.Count : at;
        if (at < _parts.Count && _parts[at].Start == end)
        {
            bytes = [.. bytes, .. _parts[at].Bytes];
            _parts.RemoveAt(at);
        }

        if (at > 0 && _parts[at - 1] is var (previousStart, previous) && previousStart + previous.Length == start)
        {
            _parts[at - 1] = (previousStart, [.. previous, .. bytes]);
        }
        else
        {
            _parts.Insert(at, (start, bytes));
        }
    }

    /// <summary>True when every byte of [<paramref name="start"/>, <paramref name="end"/>) has been read.</summary>
    public bool Has(long start, long end) => end <= start || _parts.Any(p => p.Start <= start && end <= p.Start + p.Bytes.Length);

    /// <summary>The first byte at or after <paramref name="start"/> not read yet.</summary>
    public long FirstUnread(long start)
    {
        foreach (var (partStart, bytes) in _parts)
        {
            if (partStart <= start && start < partStart + bytes.Length)
            {
                return partStart + bytes.Length; // parts are kept joined: the byte after one is unread
            }
        }

        return start;
    }

    /// <summary>Where the next part after <paramref name="start"/> begins (<see cref="Length"/> when none does).</summary>
    public long NextPartAfter(long start) => _parts.Where(p => p.Start > start).Select(p => p.Start).DefaultIfEmpty(Length).Min();

    /// <summary>Bytes already read (<see cref="Has"/> must hold for them).</summary>
    public ReadOnlySpan<byte> Span(long start, int count)
    {
        foreach (var (partStart, bytes) in _parts)
        {
            if (partStart <= start && start + count <= partStart + bytes.Length)
            {
                return bytes.AsSpan((int)(start - partStart), count);
            }
        }

        throw new ArgumentOutOfRangeException(nameof(start), $"Bytes {start}-{start + count} have not been read.");
    }

    /// <summary>The first <paramref name="viewLength"/> bytes as read, zeros where nothing was read; read-only, seekable.</summary>
    public Stream Open(long viewLength) => new OriginalPartsView([.. _parts], viewLength);
}
