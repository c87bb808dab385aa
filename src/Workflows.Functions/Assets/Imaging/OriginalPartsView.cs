using System.Runtime.InteropServices;
using SkiaSharp;

namespace Workflows.Assets.Imaging;

/// <summary>
/// The first <c>length</c> bytes of an original as <see cref="OriginalParts"/> read them, zeros where nothing was read:
/// read-only and seekable, so the codec and the metadata reader find every chunk where its header says.
/// </summary>
internal sealed class OriginalPartsView((long Start, byte[] Bytes)[] parts, long length) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = Math.Clamp(value, 0, length);
    }

    /// <summary>
    /// The view as one native block (<see cref="ZeroPages"/>): only the parts read are written to it, so the zeros in
    /// between (a WebP's image data) take no memory and no copying.
    /// </summary>
    public SKData ToData() => ZeroPages.Create(checked((int)length), block =>
    {
        foreach (var (start, bytes) in parts)
        {
            int n = (int)Math.Min(bytes.Length, length - start);
            if (n > 0)
            {
                Marshal.Copy(bytes, 0, block + (nint)start, n);
            }
        }
    });

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int wanted = (int)Math.Min(buffer.Length, length - _position);
        if (wanted <= 0)
        {
            return 0;
        }

        // From the part holding the position, else zeros up to the next part.
        int n;
        var holding = parts.FirstOrDefault(p => p.Start <= _position && _position < p.Start + p.Bytes.Length);
        if (holding.Bytes is { } bytes)
        {
            n = (int)Math.Min(wanted, holding.Start + bytes.Length - _position);
            bytes.AsSpan((int)(_position - holding.Start), n).CopyTo(buffer);
        }
        else
        {
            long next = parts.Where(p => p.Start > _position).Select(p => p.Start).DefaultIfEmpty(length).Min();
            n = (int)Math.Min(wanted, next - _position);
            buffer[..n].Clear();
        }

        _position += n;
        return n;
    }

    // In memory: completes at once, as MemoryStream does (the base Stream would queue every read to the thread pool).
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<int>(cancellationToken) : new(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
