using System.Buffers.Binary;
using System.Text;

namespace Workflows.Assets.Imaging.Magick;

/// <summary>
/// Tells camera RAW in a TIFF container (DNG, CR2, NEF, ARW) from a plain TIFF by IFD0 alone, so each goes to the
/// right reader: libtiff would show a NEF's tiny IFD0 preview, libraw refuses a scan. Reads at most IFD0's entries,
/// every offset checked against the file; anything it cannot read is left to the TIFF reader to judge.
/// </summary>
internal static class TiffContainer
{
    private const ushort MakeTag = 271;
    private const ushort ModelTag = 272;
    private const ushort SubIfdsTag = 330;

    /// <summary>
    /// The one model in a format taken here (NEF) that libraw develops at a fixed stretch (LibRaw identify.cpp:
    /// Nikon "D1X", pixel_aspect 0.5: twice as tall); matched anywhere in a Model tag of an IFD it parses, a superset of
    /// its exact match after it strips the make.
    /// </summary>
    private const string FixedHalfAspectModel = "D1X";
    private const ushort DngVersionTag = 50706;
    private const ushort DefaultScaleTag = 50718;

    public static ImageFormat Kind(ReadOnlySpan<byte> file)
    {
        if (file.Length >= 10 && file[8..10].SequenceEqual("CR"u8))
        {
            return ImageFormat.Cr2;
        }

        bool bigEndian = file[0] == (byte)'M';
        if (file.Length < 8 || file[2..4].SequenceEqual(bigEndian ? "\0+"u8 : "+\0"u8))
        {
            return ImageFormat.Tiff; // BigTIFF: no camera writes RAW in it
        }

        uint ifd = Read32(file, 4, bigEndian);
        if (ifd > file.Length - 2)
        {
            return ImageFormat.Tiff;
        }

        int count = Math.Min((int)Read16(file, (int)ifd, bigEndian), 1000);
        string? make = null;
        bool hasSubIfds = false;
        for (int i = 0; i < count && ifd + 2 + 12 * (i + 1) <= file.Length; i++)
        {
            int entry = (int)ifd + 2 + 12 * i;
            switch (Read16(file, entry, bigEndian))
            {
                case DngVersionTag:
                    return ImageFormat.Dng;
                case SubIfdsTag:
                    hasSubIfds = true;
                    break;
                case MakeTag:
                    make = Ascii(file, entry, bigEndian);
                    break;
            }
        }

        return hasSubIfds && make is not null ? make switch
        {
            _ when make.StartsWith("NIKON", StringComparison.OrdinalIgnoreCase) => ImageFormat.Nef,
            _ when make.StartsWith("SONY", StringComparison.OrdinalIgnoreCase) => ImageFormat.Arw,
            _ => ImageFormat.Tiff,
        } : ImageFormat.Tiff;
    }

    /// <summary>
    /// Whether every IFD0 value stored outside its entry lies inside the file. libtiff drops a tag whose data is cut
    /// off with only a warning (an ICC profile or XMP packet written after the pixels), so a truncated file would pass.
    /// </summary>
    public static bool EntriesFit(ReadOnlySpan<byte> file)
    {
        bool bigEndian = file[0] == (byte)'M';
        if (file.Length < 8 || file[2..4].SequenceEqual(bigEndian ? "\0+"u8 : "+\0"u8))
        {
            return true; // BigTIFF: libtiff's to judge
        }

        uint ifd = Read32(file, 4, bigEndian);
        if (ifd > file.Length - 2)
        {
            return false;
        }

        int count = Read16(file, (int)ifd, bigEndian);
        if (ifd + 2 + 12L * count > file.Length)
        {
            return false;
        }

        for (int i = 0; i < count; i++)
        {
            int entry = (int)ifd + 2 + 12 * i;
            long size = Read32(file, entry + 4, bigEndian) * (long)(Read16(file, entry + 2, bigEndian) switch
            {
                3 or 8 => 2,
                4 or 9 or 11 or 13 => 4,
                5 or 10 or 12 or 16 or 17 or 18 => 8,
                _ => 1,
            });
            if (size > 4 && Read32(file, entry + 8, bigEndian) + size > file.Length)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// How much wider (above 1) or taller (below 1) libraw develops a raw than its size says: DNG's DefaultScale
    /// (horizontal / vertical), which libraw reads in any IFD it parses and applies by stretching the developed image
    /// (up to 10×, 8 bytes a pixel) before ImageMagick sees a pixel. The most extreme one of the IFDs libraw's own walk
    /// parses (<see cref="LibrawWalk"/>) and of a wider walk: IFD0, the IFDs chained after it and their SubIFDs, offsets
    /// read by the tag's type (64 IFDs at most); 1 without one.
    /// </summary>
    public static double PixelAspect(ReadOnlySpan<byte> file)
    {
        bool bigEndian = file.Length >= 8 && file[0] == (byte)'M';
        if (file.Length < 8 || file[2..4].SequenceEqual(bigEndian ? "\0+"u8 : "+\0"u8))
        {
            return 1;
        }

        double aspect = LibrawWalk(file, bigEndian);
        var pending = new Stack<uint>([Read32(file, 4, bigEndian)]);
        var seen = new HashSet<uint>();
        while (pending.Count > 0 && seen.Count < 64)
        {
            uint ifd = pending.Pop();
            if (ifd == 0 || ifd > file.Length - 2 || !seen.Add(ifd))
            {
                continue;
            }

            int count = Read16(file, (int)ifd, bigEndian);
            for (int i = 0; i < count && ifd + 2 + 12L * (i + 1) <= file.Length; i++)
            {
                int entry = (int)ifd + 2 + 12 * i;
                ushort tag = Read16(file, entry, bigEndian);
                if (tag == DefaultScaleTag && Values(file, entry, bigEndian, 2, whateverTheCount: true) is [double horizontal, double vertical]
                    && horizontal > 0.00001 && vertical > 0.00001 && double.IsFinite(horizontal / vertical)
                    && Stretch(horizontal / vertical) > Stretch(aspect))
                {
                    aspect = horizontal / vertical;
                }
                else if (tag == SubIfdsTag)
                {
                    foreach (double offset in Values(file, entry, bigEndian, 16))
                    {
                        pending.Push((uint)offset);
                    }
                }
            }

            long next = ifd + 2 + 12L * count;
            if (next + 4 <= file.Length)
            {
                pending.Push(Read32(file, (int)next, bigEndian));
            }
        }

        return aspect;
    }

    private static double Stretch(double ratio) => Math.Max(ratio, 1 / ratio);

    /// <summary>
    /// The most extreme DefaultScale in the IFDs libraw parses, in its order (LibRaw <c>parse_tiff</c> and
    /// <c>parse_tiff_ifd</c>): IFD0 and the IFDs chained after it; in each, a SubIFDs entry's IFDs depth-first where the
    /// entry stands, their offsets read as 32 bits from where the entry's data lies whatever its type (so a SHORT one's
    /// whole value field), up to 1000 of them, a failed one ending the list (as a failed chained IFD ends the chain).
    /// Every parse takes one of its 10 IFD slots (LIBRAW_IFD_MAXCOUNT), failed ones too; an IFD of more than 512
    /// entries fails. A model libraw stretches by itself (<see cref="FixedHalfAspectModel"/>) counts as a 1 : 2 scale. A bounded walk: within 64 IFDs a chain or list placed after the IFD libraw reads its scale from
    /// cannot use up the budget first.
    /// </summary>
    private static double LibrawWalk(ReadOnlySpan<byte> file, bool bigEndian)
    {
        double aspect = 1;
        int slots = 0;
        uint next = Read32(file, 4, bigEndian);
        while (next != 0 && next <= file.Length && Parse(file, bigEndian, next, ref slots, ref aspect) is { } after)
        {
            next = after + 4 <= file.Length ? Read32(file, (int)after, bigEndian) : 0;
        }

        return aspect;
    }

    /// <summary>One libraw IFD parse; null when it fails, else where its next-IFD offset lies.</summary>
    private static long? Parse(ReadOnlySpan<byte> file, bool bigEndian, uint ifd, ref int slots, ref double aspect)
    {
        const int LibrawIfdSlots = 10;
        if (slots >= LibrawIfdSlots)
        {
            return null;
        }

        slots++;
        if (ifd > file.Length - 2)
        {
            return null;
        }

        int count = Read16(file, (int)ifd, bigEndian);
        if (count > 512)
        {
            return null;
        }

        for (int i = 0; i < count && ifd + 2 + 12L * (i + 1) <= file.Length; i++)
        {
            int entry = (int)ifd + 2 + 12 * i;
            ushort tag = Read16(file, entry, bigEndian);
            if (tag == DefaultScaleTag && Values(file, entry, bigEndian, 2, whateverTheCount: true) is [double horizontal, double vertical]
                && horizontal > 0.00001 && vertical > 0.00001 && double.IsFinite(horizontal / vertical)
                && Stretch(horizontal / vertical) > Stretch(aspect))
            {
                aspect = horizontal / vertical;
            }
            else if (tag == ModelTag && Ascii(file, entry, bigEndian) is { } model
                && model.Contains(FixedHalfAspectModel, StringComparison.Ordinal) && Stretch(0.5) > Stretch(aspect))
            {
                aspect = 0.5; // libraw's identify sets it for this model whatever DefaultScale said
            }
            else if (tag == SubIfdsTag)
            {
                ushort type = Read16(file, entry + 2, bigEndian);
                uint declared = Read32(file, entry + 4, bigEndian);
                long at = declared * (long)LibrawUnit(type) > 4 ? Read32(file, entry + 8, bigEndian) : entry + 8;
                if (declared > 8 && at + declared > 2L * file.Length)
                {
                    continue; // libraw skips a tag whose count runs past twice the file
                }

                uint values = Math.Min(declared, 1000);
                for (long p = at; p < at + 4L * values && p + 4 <= file.Length; p += 4)
                {
                    if (Parse(file, bigEndian, Read32(file, (int)p, bigEndian), ref slots, ref aspect) is null)
                    {
                        break;
                    }
                }
            }
        }

        return ifd + 2 + 12L * count;
    }

    // Bytes per value of a TIFF type as libraw counts them (its tagtype_dataunit_bytes; unknown types 1).
    private static int LibrawUnit(ushort type) => type switch
    {
        3 or 8 or 14 => 2,
        4 or 9 or 11 or 13 => 4,
        5 or 10 or 12 or 15 or 16 or 17 or 18 => 8,
        _ => 1,
    };

    // Up to max values of an entry as numbers, as libraw reads them (its getreal); none if they lie outside the file.
    // whateverTheCount: exactly max values from where the entry's data lies, as libraw reads DefaultScale's two even
    // when the count says fewer (so a count of 1 does not hide a stretch libraw applies).
    private static double[] Values(ReadOnlySpan<byte> file, int entry, bool bigEndian, int max, bool whateverTheCount = false)
    {
        ushort type = Read16(file, entry + 2, bigEndian);
        int count = whateverTheCount ? max : (int)Math.Min(Read32(file, entry + 4, bigEndian), (uint)max);
        int unit = type switch { 3 or 8 => 2, 4 or 9 or 11 or 13 => 4, 5 or 10 or 12 => 8, _ => 1 };
        long at = (long)Read32(file, entry + 4, bigEndian) * unit <= 4 ? entry + 8 : Read32(file, entry + 8, bigEndian);
        if (at + (long)count * unit > file.Length)
        {
            return [];
        }

        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            int p = (int)at + i * unit;
            values[i] = type switch
            {
                3 => Read16(file, p, bigEndian),
                8 => (short)Read16(file, p, bigEndian),
                4 or 13 => Read32(file, p, bigEndian),
                9 => (int)Read32(file, p, bigEndian),
                5 => (double)Read32(file, p, bigEndian) / Read32(file, p + 4, bigEndian),
                10 => (double)(int)Read32(file, p, bigEndian) / (int)Read32(file, p + 4, bigEndian),
                11 => BitConverter.Int32BitsToSingle((int)Read32(file, p, bigEndian)),
                12 => BitConverter.Int64BitsToDouble(bigEndian
                    ? BinaryPrimitives.ReadInt64BigEndian(file[p..])
                    : BinaryPrimitives.ReadInt64LittleEndian(file[p..])),
                _ => file[p],
            };
        }

        return values;
    }

    private static string? Ascii(ReadOnlySpan<byte> file, int entry, bool bigEndian)
    {
        uint length = Math.Min(Read32(file, entry + 4, bigEndian), 64);
        long at = length <= 4 ? entry + 8 : Read32(file, entry + 8, bigEndian); // long: an offset near 4 GB must not wrap
        return at + length <= file.Length ? Encoding.ASCII.GetString(file.Slice((int)at, (int)length)).TrimEnd('\0', ' ') : null;
    }

    private static ushort Read16(ReadOnlySpan<byte> file, int at, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(file[at..]) : BinaryPrimitives.ReadUInt16LittleEndian(file[at..]);

    private static uint Read32(ReadOnlySpan<byte> file, int at, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(file[at..]) : BinaryPrimitives.ReadUInt32LittleEndian(file[at..]);
}
