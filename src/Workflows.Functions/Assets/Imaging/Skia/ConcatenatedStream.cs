using SkiaSharp;

namespace Workflows.Assets.Imaging.Skia;

/// <summary>The IDAT chunks' data (<paramref name="parts"/> of <paramref name="file"/>) read back to back, as the zlib stream they form.</summary>
internal sealed class ConcatenatedStream(SKData file, List<Range> parts) : Stream
{
    private int _part;
    private int _offset;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_part < parts.Count && _offset == PartLength(_part))
        {
            (_part, _offset) = (_part + 1, 0);
        }

        if (_part == parts.Count)
        {
            return 0;
        }

        int take = Math.Min(buffer.Length, PartLength(_part) - _offset);
        file.Span[parts[_part]].Slice(_offset, take).CopyTo(buffer);
        _offset += take;
        return take;
    }

    private int PartLength(int part) => parts[part].End.Value - parts[part].Start.Value;

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
