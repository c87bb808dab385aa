using System.Buffers.Binary;

namespace Workflows.Bench.Quality;

/// <summary>Finds the ICC profile a JPEG (APP2 <c>ICC_PROFILE</c> segments) or WebP (<c>ICCP</c> chunk) carries.</summary>
internal static class IccProbe
{
    /// <summary>Bytes of embedded ICC profile data, 0 when there is none.</summary>
    public static int ProfileBytes(ReadOnlySpan<byte> file)
    {
        if (file.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8]))
        {
            return InJpeg(file);
        }

        return file.Length >= 12 && file.StartsWith("RIFF"u8) && file[8..12].SequenceEqual("WEBP"u8) ? InWebp(file) : 0;
    }

    private static int InJpeg(ReadOnlySpan<byte> jpeg)
    {
        int total = 0;
        int offset = 2;
        while (offset + 4 <= jpeg.Length && jpeg[offset] == 0xFF && jpeg[offset + 1] != 0xDA)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(offset + 2)..]);
            ReadOnlySpan<byte> payload = jpeg.Slice(offset + 4, Math.Min(length - 2, jpeg.Length - offset - 4));
            if (jpeg[offset + 1] == 0xE2 && payload.StartsWith("ICC_PROFILE\0"u8))
            {
                total += payload.Length - 14; // identifier, sequence number, count
            }

            offset += 2 + length;
        }

        return total;
    }

    private static int InWebp(ReadOnlySpan<byte> webp)
    {
        int offset = 12;
        while (offset + 8 <= webp.Length)
        {
            int size = (int)BinaryPrimitives.ReadUInt32LittleEndian(webp[(offset + 4)..]);
            if (webp.Slice(offset, 4).SequenceEqual("ICCP"u8))
            {
                return size;
            }

            offset += 8 + size + (size & 1);
        }

        return 0;
    }
}
