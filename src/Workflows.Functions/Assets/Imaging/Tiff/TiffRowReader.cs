using System.IO.Compression;

namespace Workflows.Assets.Imaging.Tiff;

/// <summary>
/// Decompresses one strip or tile a row at a time, so memory stays one row whatever the strip size, and a
/// decompression bomb cannot produce more than the rows we ask for: the caller asks for exactly the rows the
/// header promises and stops.
/// </summary>
internal abstract class TiffRowReader : IDisposable
{
    public static TiffRowReader Create(uint compression, ArraySegment<byte> data) => compression switch
    {
        1 => new Uncompressed(data),
        5 => new TiffLzwReader(data),
        8 or 32946 => new Deflate(data),
        32773 => new PackBits(data),
        _ => throw TiffRejections.Compression(compression),
    };

    /// <summary>Fills <paramref name="row"/>; false when the data ends first (a truncated or corrupt segment).</summary>
    public abstract bool TryRead(Span<byte> row);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    private sealed class Uncompressed(ArraySegment<byte> data) : TiffRowReader
    {
        private int _position;

        public override bool TryRead(Span<byte> row)
        {
            if (data.Count - _position < row.Length)
            {
                return false;
            }

            data.AsSpan(_position, row.Length).CopyTo(row);
            _position += row.Length;
            return true;
        }
    }

    /// <summary>zlib-wrapped Deflate (both TIFF codes for it); a corrupt stream reads as ending early.</summary>
    private sealed class Deflate(ArraySegment<byte> data) : TiffRowReader
    {
        private readonly ZLibStream _inflater = new(new MemoryStream(data.Array!, data.Offset, data.Count, writable: false), CompressionMode.Decompress);

        public override bool TryRead(Span<byte> row)
        {
            try
            {
                return _inflater.ReadAtLeast(row, row.Length, throwOnEndOfStream: false) == row.Length;
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException) // IOException: ZLibException from zlib itself
            {
                return false;
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inflater.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>PackBits runs may span rows, so the reader keeps the run it is in between calls.</summary>
    private sealed class PackBits(ArraySegment<byte> data) : TiffRowReader
    {
        private int _position;
        private int _literal;
        private int _repeat;
        private byte _repeated;

        public override bool TryRead(Span<byte> row)
        {
            int filled = 0;
            while (filled < row.Length)
            {
                if (_literal > 0)
                {
                    int n = Math.Min(Math.Min(_literal, row.Length - filled), data.Count - _position);
                    if (n == 0)
                    {
                        return false;
                    }

                    data.AsSpan(_position, n).CopyTo(row[filled..]);
                    (_position, _literal, filled) = (_position + n, _literal - n, filled + n);
                }
                else if (_repeat > 0)
                {
                    int n = Math.Min(_repeat, row.Length - filled);
                    row.Slice(filled, n).Fill(_repeated);
                    (_repeat, filled) = (_repeat - n, filled + n);
                }
                else if (_position >= data.Count)
                {
                    return false;
                }
                else
                {
                    sbyte header = (sbyte)data[_position++];
                    if (header >= 0)
                    {
                        _literal = header + 1;
                    }
                    else if (header != -128 && _position < data.Count) // -128 is a no-op
                    {
                        (_repeat, _repeated) = (1 - header, data[_position++]);
                    }
                }
            }

            return true;
        }
    }
}
