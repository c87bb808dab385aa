using System.Buffers.Binary;

namespace Workflows.Bench.Levers;

/// <summary>
/// A structural JPEG check without decoding: every marker segment's length within the file, at least one scan,
/// and EOI after the last scan's entropy-coded data. It catches truncation, not corrupt entropy data (a later
/// decode still would), at the cost of a byte scan instead of a progressive JPEG's full entropy decode.
/// </summary>
internal static class JpegStructure
{
    public static bool IsComplete(ReadOnlySpan<byte> jpeg)
    {
        int offset = 2; // SOI
        bool sawScan = false;
        while (offset + 2 <= jpeg.Length)
        {
            if (jpeg[offset] != 0xFF)
            {
                return false;
            }

            byte marker = jpeg[offset + 1];
            if (marker == 0xD9)
            {
                return sawScan;
            }

            if (offset + 4 > jpeg.Length)
            {
                return false;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(offset + 2)..]);
            offset += 2 + length;
            if (offset > jpeg.Length)
            {
                return false;
            }

            if (marker == 0xDA)
            {
                sawScan = true;
                offset = NextMarker(jpeg, offset);
            }
        }

        return false;
    }

    // Entropy-coded data ends at the first 0xFF not followed by a stuffed 0x00 or a restart marker (D0-D7).
    private static int NextMarker(ReadOnlySpan<byte> jpeg, int offset)
    {
        while (true)
        {
            int found = jpeg[offset..].IndexOf((byte)0xFF);
            if (found < 0 || offset + found + 1 >= jpeg.Length)
            {
                return jpeg.Length;
            }

            offset += found;
            byte next = jpeg[offset + 1];
            if (next != 0x00 && next is not (>= 0xD0 and <= 0xD7) && next != 0xFF)
            {
                return offset;
            }

            offset += next == 0xFF ? 1 : 2;
        }
    }
}
