using System.IO.Compression;
using System.Text;

namespace Workflows.Tests.TestSupport;

/// <summary>Hand-built PNG files (chunks, CRCs) for the decompression-bomb and damaged-pixel-stream cases.</summary>
public static partial class TestImages
{
    /// <summary>A PNG whose header claims <paramref name="width"/> × <paramref name="height"/> in a few KB of file.</summary>
    public static byte[] PngBomb(int width = 50_000, int height = 50_000)
    {
        using var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        WriteBigEndian(header, 0, width);
        WriteBigEndian(header, 4, height);
        header[8] = 8;  // bit depth
        header[9] = 2;  // RGB
        WritePngChunk(output, "IHDR", header);

        using var idat = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(new byte[1 << 20]);
        }

        WritePngChunk(output, "IDAT", idat.ToArray());
        WritePngChunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>
    /// An 8-bit RGB PNG of <paramref name="width"/> × <paramref name="height"/> whose single IDAT chunk holds
    /// <paramref name="imageData"/> as given (every CRC valid): e.g. too few rows, bad filter types or no zlib at all.
    /// </summary>
    public static byte[] PngWithImageData(int width, int height, byte[] imageData)
    {
        using var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        WriteBigEndian(header, 0, width);
        WriteBigEndian(header, 4, height);
        header[8] = 8;
        header[9] = 2;
        WritePngChunk(output, "IHDR", header);
        WritePngChunk(output, "IDAT", imageData);
        WritePngChunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary><paramref name="rows"/> filtered rows of <paramref name="width"/> RGB pixels, each with filter type <paramref name="filter"/>, zlib-compressed.</summary>
    public static byte[] PngRows(int width, int rows, byte filter = 0)
    {
        using var idat = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionLevel.Fastest, leaveOpen: true))
        {
            for (int y = 0; y < rows; y++)
            {
                zlib.WriteByte(filter);
                zlib.Write(Enumerable.Range(0, width * 3).Select(i => (byte)(i * 7 + y)).ToArray());
            }
        }

        return idat.ToArray();
    }

    private static void WritePngChunk(Stream output, string type, byte[] data)
    {
        var length = new byte[4];
        WriteBigEndian(length, 0, data.Length);
        output.Write(length);
        byte[] typeAndData = [.. Encoding.ASCII.GetBytes(type), .. data];
        output.Write(typeAndData);
        var crc = new byte[4];
        WriteBigEndian(crc, 0, (int)Crc32(typeAndData));
        output.Write(crc);
    }

    private static void WriteBigEndian(byte[] buffer, int offset, int value) =>
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(offset), value);

    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
