namespace Workflows.Assets.Imaging.Skia;

/// <summary>The IDAT chunks' data read back to back, as the zlib stream they form.</summary>
internal sealed class ConcatenatedStream(List<ArraySegment<byte>> parts) : Stream
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
        while (_part < parts.Count && _offset == parts[_part].Count)
        {
            (_part, _offset) = (_part + 1, 0);
        }

        if (_part == parts.Count)
        {
            return 0;
        }

        int take = Math.Min(buffer.Length, parts[_part].Count - _offset);
        parts[_part].AsSpan(_offset, take).CopyTo(buffer);
        _offset += take;
        return take;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
