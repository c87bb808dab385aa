using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Workflows.Assets.Imaging;

namespace Workflows.Assets.Storage;

/// <summary>
/// Reads an original for inspection, which needs only the header where the format allows
/// (<see cref="InspectionExtent"/>): ranged reads of the first bytes, grown while the header goes on, so that the
/// rendering is the one read of the whole file. Every read is pinned to the version first read (its ETag).
/// </summary>
internal static class OriginalReads
{
    /// <summary>
    /// The first bytes of <paramref name="original"/> (<paramref name="length"/> bytes, version <paramref name="version"/>)
    /// that inspection needs, or the whole file (the first bytes already read, then the rest from storage).
    /// </summary>
    public static async Task<Stream> OpenForInspectionAsync(BlobClient original, long length, ETag version, CancellationToken ct)
    {
        var conditions = new BlobRequestConditions { IfMatch = version };
        byte[] first = [];
        for (long next = Math.Min(length, InspectionExtent.FirstRead); next > first.Length; next = InspectionExtent.Next(first, length))
        {
            if (next == length && first.Length > 0)
            {
                // The whole file after all: the rest comes as the rendering reads it, in large blocks, into native memory.
                var rest = await original.OpenReadAsync(
                    new BlobOpenReadOptions(allowModifications: false) { Position = first.Length, Conditions = conditions }, ct);
                return new PrefixedStream(first, rest);
            }

            first = await ExtendAsync(original, first, (int)next, conditions, ct);
        }

        return new MemoryStream(first, writable: false);
    }

    private static async Task<byte[]> ExtendAsync(
        BlobClient original, byte[] first, int length, BlobRequestConditions conditions, CancellationToken ct)
    {
        var extended = new byte[length];
        first.CopyTo(extended, 0);
        var range = new HttpRange(first.Length, length - first.Length);
        BlobDownloadStreamingResult download = await original.DownloadStreamingAsync(
            new BlobDownloadOptions { Range = range, Conditions = conditions }, ct);
        await using (download.Content)
        {
            await download.Content.ReadExactlyAsync(extended.AsMemory(first.Length), ct);
        }

        return extended;
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
