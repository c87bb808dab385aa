using System.Globalization;
using System.Text;

namespace Workflows.Tests.TestSupport;

/// <summary>One TIFF image file directory being built, in either byte order; values over 4 bytes follow its entries.</summary>
internal sealed class TestImagesTiffIfd(bool bigEndian)
{
    private readonly SortedDictionary<ushort, (ushort Type, uint Count, byte[] Data)> _entries = [];

    public bool BigEndian => bigEndian;

    public bool IsEmpty => _entries.Count == 0;

    public int Size => 2 + 12 * _entries.Count + 4 + _entries.Values.Sum(e => e.Data.Length > 4 ? (e.Data.Length + 1) & ~1 : 0);

    public void Short(ushort tag, params uint[] values) =>
        _entries[tag] = (3, (uint)values.Length, [.. values.SelectMany(v => Bytes(2, v))]);

    public void Long(ushort tag, params uint[] values) =>
        _entries[tag] = (4, (uint)values.Length, [.. values.SelectMany(v => Bytes(4, v))]);

    public void Rational(ushort tag, params uint[] values) =>
        _entries[tag] = (5, (uint)values.Length / 2, [.. values.SelectMany(v => Bytes(4, v))]);

    public void Byte(ushort tag, params byte[] values) => _entries[tag] = (1, (uint)values.Length, values);

    /// <summary>Rewrites the count of <paramref name="tag"/>'s entry and keeps its data: an entry whose count understates it.</summary>
    public void Recount(ushort tag, uint count)
    {
        var (type, _, data) = _entries[tag];
        _entries[tag] = (type, count, data);
    }

    public void SRational(ushort tag, params int[] values) =>
        _entries[tag] = (10, (uint)values.Length / 2, [.. values.SelectMany(v => Bytes(4, (uint)v))]);

    public void Ascii(ushort tag, string value)
    {
        byte[] bytes = [.. Encoding.ASCII.GetBytes(value), 0];
        _entries[tag] = (2, (uint)bytes.Length, bytes);
    }

    /// <summary>
    /// Header, IFD0, then the Exif and GPS IFDs when <paramref name="exif"/> is given, then the segments, whose
    /// offsets are written into <paramref name="offsetsTag"/>.
    /// </summary>
    public static byte[] Assemble(TestImagesTiffIfd ifd0, TestExif? exif, List<byte[]> segments, ushort offsetsTag)
    {
        var sub = new TestImagesTiffIfd(ifd0.BigEndian);
        var gps = new TestImagesTiffIfd(ifd0.BigEndian);
        if (exif is not null)
        {
            ifd0.Short(274, (uint)exif.Orientation);
            if (exif.Make is not null)
            {
                ifd0.Ascii(271, exif.Make);
            }

            if (exif.Model is not null)
            {
                ifd0.Ascii(272, exif.Model);
            }

            if (exif.TakenAt is { } takenAt)
            {
                sub.Ascii(0x9003, takenAt.ToString("yyyy:MM:dd HH:mm:ss", CultureInfo.InvariantCulture));
            }

            if (exif is { Latitude: { } lat, Longitude: { } lon })
            {
                gps.Ascii(1, lat >= 0 ? "N" : "S");
                gps.Rational(2, Dms(lat));
                gps.Ascii(3, lon >= 0 ? "E" : "W");
                gps.Rational(4, Dms(lon));
            }

        }

        // Pointers only to IFDs that have entries: libtiff refuses an empty directory, as cameras never write one.
        if (!sub.IsEmpty)
        {
            ifd0.Long(0x8769, 0);
        }

        if (!gps.IsEmpty)
        {
            ifd0.Long(0x8825, 0);
        }

        int subAt = 8 + ifd0.Size;
        int gpsAt = subAt + (sub.IsEmpty ? 0 : sub.Size);
        int dataAt = gpsAt + (gps.IsEmpty ? 0 : gps.Size);
        if (!sub.IsEmpty)
        {
            ifd0.Long(0x8769, (uint)subAt);
        }

        if (!gps.IsEmpty)
        {
            ifd0.Long(0x8825, (uint)gpsAt);
        }

        var offsets = new uint[segments.Count];
        for (int i = 0, at = dataAt; i < segments.Count; at += segments[i].Length, i++)
        {
            offsets[i] = (uint)at;
        }

        ifd0.Long(offsetsTag, offsets);
        using var output = new MemoryStream();
        output.Write(ifd0.BigEndian ? "MM\0*"u8 : "II*\0"u8);
        output.Write(ifd0.Bytes(4, 8));
        ifd0.WriteTo(output);
        foreach (TestImagesTiffIfd ifd in new[] { sub, gps }.Where(i => !i.IsEmpty))
        {
            ifd.WriteTo(output);
        }

        segments.ForEach(s => output.Write(s));
        return output.ToArray();
    }

    private void WriteTo(MemoryStream output)
    {
        int dataOffset = (int)output.Position + 2 + 12 * _entries.Count + 4;
        using var data = new MemoryStream();
        output.Write(Bytes(2, (uint)_entries.Count));
        foreach ((ushort tag, (ushort type, uint count, byte[] value)) in _entries)
        {
            output.Write(Bytes(2, tag));
            output.Write(Bytes(2, type));
            output.Write(Bytes(4, count));
            if (value.Length <= 4)
            {
                output.Write([.. value, .. new byte[4 - value.Length]]);
                continue;
            }

            output.Write(Bytes(4, (uint)(dataOffset + data.Length)));
            data.Write(value);
            if (data.Length % 2 == 1)
            {
                data.WriteByte(0);
            }
        }

        output.Write(Bytes(4, 0)); // no next IFD: one page
        data.WriteTo(output);
    }

    private byte[] Bytes(int size, uint value)
    {
        byte[] bytes = size == 2 ? BitConverter.GetBytes((ushort)value) : BitConverter.GetBytes(value);
        if (bigEndian == BitConverter.IsLittleEndian)
        {
            Array.Reverse(bytes);
        }

        return bytes;
    }

    /// <summary>Degrees, minutes and seconds as EXIF rationals: numerator, denominator pairs.</summary>
    public static uint[] Dms(double decimalDegrees)
    {
        double value = Math.Abs(decimalDegrees);
        int degrees = (int)value;
        int minutes = (int)((value - degrees) * 60);
        double seconds = (value - degrees - minutes / 60.0) * 3600;
        return [(uint)degrees, 1, (uint)minutes, 1, (uint)Math.Round(seconds * 1000), 1000];
    }
}
