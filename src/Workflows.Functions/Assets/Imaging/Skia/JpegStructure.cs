using System.Buffers.Binary;

namespace Workflows.Assets.Imaging.Skia;

/// <summary>
/// Whether a JPEG runs to its end-of-image marker. libjpeg fills a progressive JPEG that was cut short from the
/// scans it has (a blur, no error), so completeness is checked on the structure: segments are skipped by their
/// length (an EXIF thumbnail's own end marker does not count) and each scan's entropy-coded data up to the next marker.
/// </summary>
internal static class JpegStructure
{
    private const byte StartOfScan = 0xDA;
    private const byte EndOfImage = 0xD9;

    /// <summary>
    /// Whether the frame header is progressive Huffman (SOF2), the usual progressive JPEG: segments up to the first
    /// frame header are skipped by their length.
    /// </summary>
    public static bool IsProgressive(ReadOnlySpan<byte> jpeg)
    {
        int at = 2; // after SOI
        while (at + 4 <= jpeg.Length && jpeg[at] == 0xFF)
        {
            byte type = jpeg[at + 1];
            if (type == 0xFF)
            {
                at++; // fill byte
                continue;
            }

            if (type is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
            {
                return type == 0xC2;
            }

            if (type == StartOfScan)
            {
                return false;
            }

            at += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg[(at + 2)..]);
        }

        return false;
    }

    public static bool IsComplete(ReadOnlySpan<byte> jpeg)
    {
        int at = 2; // after SOI
        while (true)
        {
            // Like libjpeg, tolerate stray bytes and fill bytes before a marker.
            int marker = jpeg[at..].IndexOf((byte)0xFF);
            if (marker < 0)
            {
                return false;
            }

            at += marker;
            while (at + 1 < jpeg.Length && jpeg[at + 1] == 0xFF)
            {
                at++;
            }

            if (at + 1 >= jpeg.Length)
            {
                return false;
            }

            byte type = jpeg[at + 1];
            if (type == EndOfImage)
            {
                return true;
            }

            if (type is 0x00 or 0x01 or (>= 0xD0 and <= 0xD7))
            {
                at += 2; // no length: stuffing, TEM, restart
                continue;
            }

            if (at + 4 > jpeg.Length)
            {
                return false;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(at + 2)..]);
            if (length < 2 || at + 2 + length > jpeg.Length)
            {
                return false;
            }

            at += 2 + length;
            if (type == StartOfScan && !SkipEntropyCodedData(jpeg, ref at))
            {
                return false;
            }
        }
    }

    // Entropy-coded data ends at the first 0xFF followed by anything but 0x00 (stuffing) or a restart marker.
    private static bool SkipEntropyCodedData(ReadOnlySpan<byte> jpeg, ref int at)
    {
        while (true)
        {
            int next = jpeg[at..].IndexOf((byte)0xFF);
            if (next < 0 || at + next + 1 >= jpeg.Length)
            {
                return false;
            }

            at += next;
            byte following = jpeg[at + 1];
            if (following is 0x00 or (>= 0xD0 and <= 0xD7))
            {
                at += 2;
                continue;
            }

            return true;
        }
    }
}
