namespace Workflows.Assets.Http;

/// <summary>
/// Passes a request body through while counting it, and fails the read that goes past <c>maxBytes</c>: the size
/// limit holds even without (or with a lying) Content-Length, and nothing is buffered here but what
/// <see cref="PeekAsync"/> looked at, which the next reads return first.
/// </summary>
internal sealed class LimitedReadStream(Stream inner, long maxBytes) : Stream
{
    private ReadOnlyMemory<byte> _peeked = ReadOnlyMemory<byte>.Empty;

    public long BytesRead { get; private set; }

    public bool LimitExceeded { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead - _peeked.Length;
        set => throw new NotSupportedException();
    }

    /// <summary>The first <paramref name="count"/> bytes of the body (fewer only if it is shorter), without consuming them.</summary>
    public async Task<ReadOnlyMemory<byte>> PeekAsync(int count, CancellationToken cancellationToken)
    {
        var head = new byte[count];
        var read = Count(await inner.ReadAtLeastAsync(head, count, throwOnEndOfStream: false, cancellationToken));
        _peeked = head.AsMemory(0, read);
        return _peeked;
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        TakePeeked(buffer.AsSpan(offset, count)) is var taken and > 0 ? taken : Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        TakePeeked(buffer.Span) is var taken and > 0 ? taken : Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int TakePeeked(Span<byte> buffer)
    {
        var taken = Math.Min(buffer.Length, _peeked.Length);
        _peeked.Span[..taken].CopyTo(buffer);
        _peeked = _peeked[taken..];
        return taken;
    }

    private int Count(int read)
    {
        BytesRead += read;
        if (BytesRead > maxBytes)
        {
            LimitExceeded = true;
            throw new InvalidDataException($"The upload is larger than {maxBytes} bytes.");
        }

        return read;
    }
}
