namespace Workflows.Assets.Imaging.Tiff;

/// <summary>
/// TIFF's LZW: codes MSB-first, 9 to 12 bits, widening one code early (at 511, 1023, 2047); 256 clears the table,
/// 257 ends the data. A string never exceeds the 4096-entry table, so output is produced at most 4 KB per code.
/// </summary>
internal sealed class TiffLzwReader(ArraySegment<byte> data) : TiffRowReader
{
    private const int Clear = 256;
    private const int EndOfInformation = 257;
    private const int TableSize = 4096;

    private readonly short[] _prefix = new short[TableSize];
    private readonly byte[] _suffix = new byte[TableSize];
    private readonly byte[] _first = new byte[TableSize];
    private readonly short[] _length = new short[TableSize];
    private readonly byte[] _pending = new byte[TableSize + 1];
    private int _pendingStart;
    private int _pendingEnd;
    private int _position;
    private uint _bits;
    private int _bitCount;
    private int _width = 9;
    private int _next = 258;
    private int _previous = -1;
    private bool _ended;

    public override bool TryRead(Span<byte> row)
    {
        int filled = 0;
        while (filled < row.Length)
        {
            if (_pendingStart < _pendingEnd)
            {
                int n = Math.Min(_pendingEnd - _pendingStart, row.Length - filled);
                _pending.AsSpan(_pendingStart, n).CopyTo(row[filled..]);
                _pendingStart += n;
                filled += n;
            }
            else if (_ended)
            {
                return false;
            }
            else
            {
                DecodeNext();
            }
        }

        return true;
    }

    private void DecodeNext()
    {
        int code = ReadCode();
        if (code is < 0 or EndOfInformation)
        {
            _ended = true;
        }
        else if (code == Clear)
        {
            (_width, _next, _previous) = (9, 258, -1);
        }
        else if (_previous < 0)
        {
            // The first code after a clear must be a literal.
            if (code > 255)
            {
                _ended = true;
                return;
            }

            (_pending[0], _pendingStart, _pendingEnd, _previous) = ((byte)code, 0, 1, code);
        }
        else if (code < _next)
        {
            Emit(code);
            Add(_previous, First(code));
            _previous = code;
        }
        else if (code == _next && _next < TableSize)
        {
            Emit(_previous); // the KwKwK case: the previous string plus its own first byte
            _pending[_pendingEnd++] = First(_previous);
            Add(_previous, First(_previous));
            _previous = code;
        }
        else
        {
            _ended = true; // a code from beyond the table: corrupt
        }
    }

    private void Emit(int code)
    {
        int length = code < 256 ? 1 : _length[code];
        for (int i = length - 1; i >= 0; i--)
        {
            _pending[i] = code < 256 ? (byte)code : _suffix[code];
            code = code < 256 ? code : _prefix[code];
        }

        (_pendingStart, _pendingEnd) = (0, length);
    }

    private void Add(int prefix, byte suffix)
    {
        if (_next >= TableSize)
        {
            return; // a full table stays as it is until the encoder clears it
        }

        _prefix[_next] = (short)prefix;
        _suffix[_next] = suffix;
        _first[_next] = First(prefix);
        _length[_next] = (short)((prefix < 256 ? 1 : _length[prefix]) + 1);
        _next++;
        if (_next >= (1 << _width) - 1 && _width < 12)
        {
            _width++;
        }
    }

    private byte First(int code) => code < 256 ? (byte)code : _first[code];

    private int ReadCode()
    {
        while (_bitCount < _width)
        {
            if (_position >= data.Count)
            {
                return -1;
            }

            _bits = (_bits << 8) | data[_position++];
            _bitCount += 8;
        }

        _bitCount -= _width;
        return (int)(_bits >> _bitCount) & ((1 << _width) - 1);
    }
}
