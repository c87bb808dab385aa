using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Workflows.Assets.Imaging;

namespace Workflows.Assets.Storage;

/// <summary>
/// Reads an original for inspection, which needs only the header where the format allows
/// (<see cref="InspectionExtent"/>): ranged reads of the parts it asks for (a JPEG's first bytes, grown while the
/// header goes on; a WebP's or PNG's chunk headers and metadata chunks around the image data), so that the rendering
/// is the one read of the whole file. Every read is pinned to the version first read (its ETag).
/// </summary>
internal static class OriginalReads
{
    /// <summary>
    /// The parts of <paramref name="original"/> (<paramref name="length"/> bytes, version <paramref name="version"/>)
    /// that inspection needs (see <see cref="InspectionExtent.Open"/>), or the whole file (the first bytes already
    /// read, then the rest from storage).
    /// </summary>
    public static Task<Stream> OpenForInspectionAsync(BlobClient original, long length, ETag version, CancellationToken ct)
    {
        var conditions = new BlobRequestConditions { IfMatch = version };
        return OpenForInspectionAsync(
            length,
            (range, token) => ReadAsync(original, range, conditions, token),
            async (position, token) => await original.OpenReadAsync(
                new BlobOpenReadOptions(allowModifications: false) { Position = position, Conditions = conditions }, token),
            ct);
    }

    /// <summary>
    /// The same reads from any source of <paramref name="length"/> bytes: <paramref name="readAsync"/> reads one range,
    /// <paramref name="openRestAsync"/> opens the rest of the file at a position (the bench reads a file in memory so).
    /// </summary>
    internal static async Task<Stream> OpenForInspectionAsync(
        long length,
        Func<ByteRange, CancellationToken, Task<byte[]>> readAsync,
        Func<long, CancellationToken, Task<Stream>> openRestAsync,
        CancellationToken ct)
    {
        var read = new OriginalParts(length);
        for (ByteRange? next; (next = InspectionExtent.Next(read)) is { } range;)
        {
            if (range.End == length && range.Start == read.PrefixEnd && read.Reads > 0)
            {
                // The whole file after all: the rest comes as the rendering reads it, in large blocks, into native memory.
                return new PrefixedStream(read.Prefix.ToArray(), await openRestAsync(read.PrefixEnd, ct));
            }

            read.Add(range.Start, await readAsync(range, ct));
        }

        return InspectionExtent.Open(read);
    }

    private static async Task<byte[]> ReadAsync(BlobClient original, ByteRange range, BlobRequestConditions conditions, CancellationToken ct)
    {
        var bytes = new byte[range.Length];
        BlobDownloadStreamingResult download = await original.DownloadStreamingAsync(
            new BlobDownloadOptions { Range = new HttpRange(range.Start, range.Length), Conditions = conditions }, ct);
        await using (download.Content)
        {
            await download.Content.ReadExactlyAsync(bytes, ct);
        }

        return bytes;
    }

    /// <summary>Bytes already read, then a seekable stream positioned right after them (a blob opened at that offset).</summary>
    private sealed class PrefixedStream(byte[] first, Stream rest) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => rest.Length;

        public override long Position
        {
            get => _position;
            set => Seek(value, SeekOrigin.Begin);
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position < first.Length)
            {
                int n = Math.Min(buffer.Length, first.Length - (int)_position);
                first.AsSpan((int)_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }

            int read = rest.Read(buffer);
            _position += read;
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position < first.Length)
            {
                return Read(buffer.Span);
            }

            int read = await rest.ReadAsync(buffer, cancellationToken);
            _position += read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin)
        {
            long target = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => _position + offset,
                _ => Length + offset,
            };
            ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
            rest.Position = Math.Max(target, first.Length);
            _position = target;
            return target;
        }

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                rest.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
