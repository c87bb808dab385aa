using System.Buffers.Binary;
using System.IO.Hashing;

namespace Workflows.Tests.Reliability.Fuzzing;

/// <summary>
/// Seeded mutations of an image file: bit flips anywhere, truncation at every tenth, headers that lie about the size
/// (nothing, one pixel, a decompression bomb) or the format (another format's magic), and megabytes of EXIF.
/// </summary>
internal static class ImageMutations
{
    private static readonly byte[][] Magics = [[0xFF, 0xD8, 0xFF, 0xE0], [0x89, .. "PNG"u8], [.. "GIF8"u8], [.. "II*\0"u8], [.. "RIFF"u8], [.. "8BPS"u8]];

    // A little-endian TIFF header whose IFD0 claims 65,535 entries: what an EXIF block starts with, and a lie.
    private static readonly byte[] ExifHeader = [.. "II*\0"u8, 8, 0, 0, 0, 0xFF, 0xFF];

    public static IEnumerable<(string Mutation, byte[] Content)> Of(string format, byte[] original, Random random, int bitFlips)
    {
        for (int i = 0; i < bitFlips; i++)
        {
            var damaged = (byte[])original.Clone();
            for (int flips = random.Next(1, 9); flips > 0; flips--)
            {
                damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
            }

            yield return ("bit flips", damaged);
        }

        for (int tenth = 1; tenth <= 9; tenth++)
        {
            yield return ("truncated", original[..(original.Length * tenth / 10)]);
        }

        foreach (var (width, height) in new[] { (0, 0), (1, 1), (65_535, 1), (30_000, 30_000) })
        {
            if (WithSize(format, original, width, height) is { } lying)
            {
                yield return ("lying size", lying);
            }
        }

        var magic = Magics[random.Next(Magics.Length)];
        yield return ("lying magic", [.. magic, .. original.AsSpan(magic.Length)]);

        if (format is "jpeg" or "png" or "webp")
        {
            yield return ("huge EXIF", HugeExif(format, original, megabytes: 2));
        }
    }

    // The declared size rewritten where each format keeps it (its header's own checksum, if any, made right again).
    private static byte[]? WithSize(string format, byte[] original, int width, int height)
    {
        var file = (byte[])original.Clone();
        var span = file.AsSpan();
        switch (format)
        {
            case "png":
                BinaryPrimitives.WriteInt32BigEndian(span[16..], width);
                BinaryPrimitives.WriteInt32BigEndian(span[20..], height);
                BinaryPrimitives.WriteUInt32BigEndian(span[29..], Crc32.HashToUInt32(span[12..29]));
                return file;
            case "gif":
                BinaryPrimitives.WriteUInt16LittleEndian(span[6..], (ushort)Math.Min(width, ushort.MaxValue));
                BinaryPrimitives.WriteUInt16LittleEndian(span[8..], (ushort)Math.Min(height, ushort.MaxValue));
                return file;
            case "bmp":
                BinaryPrimitives.WriteInt32LittleEndian(span[18..], width);
                BinaryPrimitives.WriteInt32LittleEndian(span[22..], height);
                return file;
            case "psd":
                BinaryPrimitives.WriteInt32BigEndian(span[14..], height);
                BinaryPrimitives.WriteInt32BigEndian(span[18..], width);
                return file;
            case "jpeg":
                int sof = span.IndexOf([(byte)0xFF, (byte)0xC0]);
                if (sof < 0)
                {
                    return null;
                }

                BinaryPrimitives.WriteUInt16BigEndian(span[(sof + 5)..], (ushort)Math.Min(height, ushort.MaxValue));
                BinaryPrimitives.WriteUInt16BigEndian(span[(sof + 7)..], (ushort)Math.Min(width, ushort.MaxValue));
                return file;
            case "heic" or "avif":
                int ispe = span.IndexOf("ispe"u8) + 8;
                BinaryPrimitives.WriteInt32BigEndian(span[ispe..], width);
                BinaryPrimitives.WriteInt32BigEndian(span[(ispe + 4)..], height);
                return file;
            case "tiff" or "dng":
                return TiffWithSize(file, width, height);
            default:
                return null; // WebP and JPEG XL keep the size in bit fields: their bit flips cover it
        }
    }

    // IFD0's ImageWidth/ImageLength (SHORT or LONG) in a little-endian TIFF.
    private static byte[] TiffWithSize(byte[] tiff, int width, int height)
    {
        int ifd = BinaryPrimitives.ReadInt32LittleEndian(tiff.AsSpan(4));
        int count = BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(ifd));
        for (int i = 0; i < count; i++)
        {
            var entry = tiff.AsSpan(ifd + 2 + (12 * i), 12);
            ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(entry);
            if (tag is 256 or 257)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], 4); // LONG
                BinaryPrimitives.WriteInt32LittleEndian(entry[8..], tag == 256 ? width : height);
            }
        }

        return tiff;
    }

    // JPEG: APP1 "Exif" segments of 64 KB each after SOI; PNG: one eXIf chunk (right CRC) after IHDR; WebP: an EXIF
    // chunk after everything (the RIFF size made right).
    private static byte[] HugeExif(string format, byte[] original, int megabytes)
    {
        using var file = new MemoryStream();
        if (format == "webp")
        {
            file.Write(original);
            file.Write("EXIF"u8);
            file.Write(BitConverter.GetBytes(megabytes << 20));
            file.Write([.. ExifHeader, .. new byte[(megabytes << 20) - ExifHeader.Length]]);
            var webp = file.ToArray();
            BinaryPrimitives.WriteUInt32LittleEndian(webp.AsSpan(4), (uint)(webp.Length - 8));
            return webp;
        }

        if (format == "jpeg")
        {
            file.Write(original, 0, 2);
            var segment = new byte[65_535 + 2];
            (segment[0], segment[1]) = (0xFF, 0xE1);
            BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), 65_535);
            "Exif\0\0"u8.CopyTo(segment.AsSpan(4));
            ExifHeader.CopyTo(segment.AsSpan(10));
            for (int i = 0; i < megabytes * 16; i++)
            {
                file.Write(segment);
            }

            file.Write(original, 2, original.Length - 2);
        }
        else
        {
            file.Write(original, 0, 33);
            var chunk = new byte[12 + (megabytes << 20)];
            BinaryPrimitives.WriteInt32BigEndian(chunk, megabytes << 20);
            "eXIf"u8.CopyTo(chunk.AsSpan(4));
            ExifHeader.CopyTo(chunk.AsSpan(8));
            BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(chunk.Length - 4), Crc32.HashToUInt32(chunk.AsSpan(4, chunk.Length - 8)));
            file.Write(chunk);
            file.Write(original, 33, original.Length - 33);
        }

        return file.ToArray();
    }
}
