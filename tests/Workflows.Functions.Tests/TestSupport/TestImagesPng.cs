using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
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
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
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
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
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

    /// <summary>
    /// <paramref name="png"/>'s chunks with <paramref name="before"/> inserted before the first IDAT,
    /// <paramref name="after"/> before IEND, and its image data split into IDAT chunks of <paramref name="imageDataChunk"/> bytes.
    /// </summary>
    public static byte[] PngWithChunks(byte[] png, (string Type, byte[] Data)[] before, (string Type, byte[] Data)[] after, int imageDataChunk = 8192)
    {
        using var output = new MemoryStream();
        using var imageData = new MemoryStream();
        output.Write(png, 0, 8);
        for (int at = 8; at < png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            string type = Encoding.ASCII.GetString(png, at + 4, 4);
            if (type == "IDAT")
            {
                imageData.Write(png, at + 8, length);
            }
            else if (type != "IEND")
            {
                WritePngChunk(output, type, png[(at + 8)..(at + 8 + length)]);
            }

            at += 12 + length;
        }

        foreach (var (type, data) in before)
        {
            WritePngChunk(output, type, data);
        }

        byte[] pixels = imageData.ToArray();
        for (int i = 0; i < pixels.Length; i += imageDataChunk)
        {
            WritePngChunk(output, "IDAT", pixels[i..Math.Min(pixels.Length, i + imageDataChunk)]);
        }

        foreach (var (type, data) in after)
        {
            WritePngChunk(output, type, data);
        }

        WritePngChunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>An iTXt chunk carrying an XMP packet, as PNG writers store it.</summary>
    public static (string Type, byte[] Data) PngXmpChunk(string xmp) =>
        ("iTXt", [.. "XML:com.adobe.xmp"u8, 0, 0, 0, 0, 0, .. Encoding.UTF8.GetBytes(xmp)]);

    /// <summary>Chunks as a PNG file holds them (length, type, data, CRC), with no signature: e.g. bytes to append to a file.</summary>
    public static byte[] PngChunks(params (string Type, byte[] Data)[] chunks)
    {
        using var output = new MemoryStream();
        foreach (var (type, data) in chunks)
        {
            WritePngChunk(output, type, data);
        }

        return output.ToArray();
    }

    /// <summary>Writes one chunk as a PNG file holds it: length, type, data, CRC of type and data.</summary>
    public static void WritePngChunk(Stream output, string type, byte[] data)
    {
        var buffer = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(buffer, data.Length);
        Encoding.ASCII.GetBytes(type, buffer.AsSpan(4));
        data.CopyTo(buffer, 8);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(8 + data.Length), Crc32.HashToUInt32(buffer.AsSpan(4, 4 + data.Length)));
        output.Write(buffer);
    }
}
