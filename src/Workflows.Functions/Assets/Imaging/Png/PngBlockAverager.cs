using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Workflows.Assets.Imaging.Png;

/// <summary>
/// Averages every <c>factor</c> × <c>factor</c> block of unfiltered PNG rows into one RGBA (or BGRA) pixel,
/// premultiplied as Skia's decode is. Each row becomes samples of 1-4 channels (grey, grey+alpha, RGB or RGBA, alpha
/// premultiplied; a palette index becomes its premultiplied entry), the samples are summed down the block a vector
/// at a time, and only a finished block row is summed across and divided (a multiply by one reciprocal per count).
/// </summary>
internal sealed class PngBlockAverager
{
    private readonly int _width;
    private readonly int _factor;
    private readonly int _channels;
    private readonly byte _colourType;
    private readonly bool _bgra;
    private readonly uint[]? _palette;
    private readonly byte[] _samples;
    private readonly ushort[] _sums;
    private int _rows;

    public PngBlockAverager(PngLayout layout, int factor, bool bgra)
    {
        _width = layout.Width;
        _factor = factor;
        _colourType = layout.ColourType;
        _channels = layout.ColourType == 3 ? 4 : layout.Channels;
        _bgra = bgra;
        _palette = layout.Palette is { } palette ? PremultipliedPalette(palette) : null;
        _samples = new byte[_width * _channels];
        _sums = factor == 1 ? [] : new ushort[_width * _channels];
    }

    /// <summary>Adds an unfiltered row to the block row under way.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(ReadOnlySpan<byte> row)
    {
        ReadOnlySpan<byte> samples = Samples(row);
        if (_factor == 1)
        {
            if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(samples), ref _samples[0]))
            {
                samples.CopyTo(_samples);
            }
        }
        else if (_rows == 0)
        {
            SumDown(samples, _sums, first: true);
        }
        else
        {
            SumDown(samples, _sums, first: false);
        }

        _rows++;
    }

    /// <summary>Writes the block row's averages (4 bytes a pixel) to <paramref name="target"/> and starts the next one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Write(Span<byte> target)
    {
        int outWidth = (_width + _factor - 1) / _factor;
        if (_factor == 1)
        {
            PngPixelWriter.Write(_samples, _channels, _bgra, target[..(4 * outWidth)]);
        }
        else
        {
            PngPixelWriter.Average(_sums, _channels, _width, _factor, _rows, _bgra, target[..(4 * outWidth)]);
        }

        _rows = 0;
    }

    // Grey and RGB are their own samples; the rest are premultiplied into _samples.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<byte> Samples(ReadOnlySpan<byte> row)
    {
        switch (_colourType)
        {
            case 3:
                Span<uint> entries = MemoryMarshal.Cast<byte, uint>(_samples.AsSpan());
                uint[] palette = _palette!;
                for (int x = 0; x < row.Length; x++)
                {
                    entries[x] = palette[row[x]];
                }

                return _samples;
            case 4:
                for (int i = 0; i < row.Length; i += 2)
                {
                    uint a = row[i + 1];
                    _samples[i] = a == 255 ? row[i] : (byte)Premultiply(row[i], a);
                    _samples[i + 1] = (byte)a;
                }

                return _samples;
            case 6:
                for (int i = 0; i < row.Length; i += 4)
                {
                    uint a = row[i + 3];
                    if (a == 255)
                    {
                        row.Slice(i, 4).CopyTo(_samples.AsSpan(i));
                    }
                    else
                    {
                        _samples[i] = (byte)Premultiply(row[i], a);
                        _samples[i + 1] = (byte)Premultiply(row[i + 1], a);
                        _samples[i + 2] = (byte)Premultiply(row[i + 2], a);
                        _samples[i + 3] = (byte)a;
                    }
                }

                return _samples;
            default:
                return row;
        }
    }

    // Column sums down the block (at most 8 rows × 255: a ushort holds it), a vector at a time.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumDown(ReadOnlySpan<byte> samples, Span<ushort> sums, bool first)
    {
        int i = 0;
        for (; i <= samples.Length - Vector<byte>.Count; i += Vector<byte>.Count)
        {
            Vector.Widen(new Vector<byte>(samples[i..]), out Vector<ushort> low, out Vector<ushort> high);
            Span<ushort> lowSums = sums[i..], highSums = sums[(i + Vector<ushort>.Count)..];
            (first ? low : low + new Vector<ushort>(lowSums)).CopyTo(lowSums);
            (first ? high : high + new Vector<ushort>(highSums)).CopyTo(highSums);
        }

        for (; i < samples.Length; i++)
        {
            sums[i] = (ushort)(first ? samples[i] : sums[i] + samples[i]);
        }
    }

    // RGBA bytes in memory order, premultiplied, from the layout's ARGB entries.
    private static uint[] PremultipliedPalette(uint[] argb)
    {
        var entries = new uint[argb.Length];
        for (int i = 0; i < argb.Length; i++)
        {
            uint a = argb[i] >> 24, r = Premultiply((argb[i] >> 16) & 0xFF, a), g = Premultiply((argb[i] >> 8) & 0xFF, a), b = Premultiply(argb[i] & 0xFF, a);
            Span<byte> bytes = [(byte)r, (byte)g, (byte)b, (byte)a];
            entries[i] = MemoryMarshal.Read<uint>(bytes);
        }

        return entries;
    }

    internal static uint Premultiply(uint c, uint a)
    {
        uint t = (c * a) + 128;
        return (t + (t >> 8)) >> 8; // round(c * a / 255)
    }
}
