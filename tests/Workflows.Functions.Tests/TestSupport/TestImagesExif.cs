using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Workflows.Tests.TestSupport;

/// <summary>What to write into a test photo's EXIF. Orientation 1-8; GPS in signed decimal degrees.</summary>
public sealed record TestExif(
    int Orientation = 1,
    string? Make = null,
    string? Model = null,
    DateTime? TakenAt = null,
    double? Latitude = null,
    double? Longitude = null)
{
    /// <summary>A phone photo held upright: stored landscape, orientation 6 (turn 90° clockwise to view), with GPS.</summary>
    public static TestExif PhonePortrait { get; } = new(
        6, "Contoso", "Lens 12", new DateTime(2024, 5, 17, 14, 30, 5, DateTimeKind.Unspecified), 48.858222, -2.2945);
}

/// <summary>
/// Builds a real EXIF APP1 segment (little-endian TIFF: IFD0 with Make, Model, Orientation and pointers to the
/// Exif sub-IFD with DateTimeOriginal and the GPS IFD) and inserts it right after a JPEG's SOI marker.
/// </summary>
internal static class TestImagesExif
{
    private const ushort Ascii = 2;
    private const ushort Short = 3;
    private const ushort Long = 4;
    private const ushort Rational = 5;

    public static byte[] Insert(byte[] jpeg, TestExif exif)
    {
        byte[] tiff = Tiff(exif);
        var segment = new byte[4 + 6 + tiff.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(segment.Length - 2));
        "Exif\0\0"u8.CopyTo(segment.AsSpan(4));
        tiff.CopyTo(segment.AsSpan(10));
        return [.. jpeg.AsSpan(0, 2), .. segment, .. jpeg.AsSpan(2)];
    }

    /// <summary>The EXIF block as a TIFF stream (byte-order mark first), as a WebP EXIF or PNG eXIf chunk holds it.</summary>
    public static byte[] Tiff(TestExif exif)
    {
        List<Entry> ifd0 = [new(0x0112, Short, 1, UShort((ushort)exif.Orientation))];
        List<Entry> sub = [];
        List<Entry> gps = [];
        if (exif.Make is not null)
        {
            ifd0.Add(AsciiEntry(0x010F, exif.Make));
        }

        if (exif.Model is not null)
        {
            ifd0.Add(AsciiEntry(0x0110, exif.Model));
        }

        if (exif.TakenAt is { } takenAt)
        {
            sub.Add(AsciiEntry(0x9003, takenAt.ToString("yyyy:MM:dd HH:mm:ss", CultureInfo.InvariantCulture)));
        }

        if (exif is { Latitude: { } lat, Longitude: { } lon })
        {
            gps.Add(AsciiEntry(0x0001, lat >= 0 ? "N" : "S"));
            gps.Add(new Entry(0x0002, Rational, 3, Dms(lat)));
            gps.Add(AsciiEntry(0x0003, lon >= 0 ? "E" : "W"));
            gps.Add(new Entry(0x0004, Rational, 3, Dms(lon)));
        }

        // Layout: header (8 bytes), IFD0, Exif sub-IFD, GPS IFD; pointers need the sizes first.
        int subOffset = 8 + Size(ifd0, extraEntries: 2);
        int gpsOffset = subOffset + Size(sub, 0);
        ifd0.Add(new Entry(0x8769, Long, 1, UInt((uint)subOffset)));
        ifd0.Add(new Entry(0x8825, Long, 1, UInt((uint)gpsOffset)));

        using var output = new MemoryStream();
        output.Write("II*\0"u8);
        output.Write(UInt(8));
        WriteIfd(output, ifd0);
        WriteIfd(output, sub);
        WriteIfd(output, gps);
        return output.ToArray();
    }

    private static int Size(List<Entry> entries, int extraEntries) =>
        2 + 12 * (entries.Count + extraEntries) + 4 + entries.Sum(e => e.Value.Length > 4 ? (e.Value.Length + 1) & ~1 : 0);

    private static void WriteIfd(MemoryStream output, List<Entry> entries)
    {
        int start = (int)output.Position;
        int dataOffset = start + 2 + 12 * entries.Count + 4;
        var data = new MemoryStream();
        output.Write(UShort((ushort)entries.Count));
        foreach (Entry entry in entries.OrderBy(e => e.Tag))
        {
            output.Write(UShort(entry.Tag));
            output.Write(UShort(entry.Type));
            output.Write(UInt(entry.Count));
            if (entry.Value.Length <= 4)
            {
                output.Write([.. entry.Value, .. new byte[4 - entry.Value.Length]]);
            }
            else
            {
                output.Write(UInt((uint)(dataOffset + data.Length)));
                data.Write(entry.Value);
                if (data.Length % 2 == 1)
                {
                    data.WriteByte(0);
                }
            }
        }

        output.Write(UInt(0)); // no next IFD
        data.WriteTo(output);
    }

    private static Entry AsciiEntry(ushort tag, string value)
    {
        byte[] bytes = [.. Encoding.ASCII.GetBytes(value), 0];
        return new Entry(tag, Ascii, (uint)bytes.Length, bytes);
    }

    private static byte[] Dms(double decimalDegrees)
    {
        double value = Math.Abs(decimalDegrees);
        int degrees = (int)value;
        int minutes = (int)((value - degrees) * 60);
        double seconds = (value - degrees - minutes / 60.0) * 3600;
        return [.. UInt((uint)degrees), .. UInt(1), .. UInt((uint)minutes), .. UInt(1), .. UInt((uint)Math.Round(seconds * 1000)), .. UInt(1000)];
    }

    private static byte[] UShort(ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        return bytes;
    }

    private static byte[] UInt(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }

    private sealed record Entry(ushort Tag, ushort Type, uint Count, byte[] Value);
}
