using System.Buffers.Binary;
using SkiaSharp;

namespace Workflows.Tests.TestSupport;

/// <summary>Hand-written GIF and BMP encoders (Skia decodes both but encodes neither).</summary>
internal static class TestImagesLegacyFormats
{
    /// <summary>24-bit bottom-up BMP with a BITMAPINFOHEADER.</summary>
    public static byte[] Bmp(SKBitmap bitmap)
    {
        int stride = (bitmap.Width * 3 + 3) & ~3;
        int size = 54 + stride * bitmap.Height;
        var bytes = new byte[size];
        bytes[0] = (byte)'B';
        bytes[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(2), size);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), bitmap.Width);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), bitmap.Height);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(34), stride * bitmap.Height);
        for (int y = 0; y < bitmap.Height; y++)
        {
            int row = 54 + (bitmap.Height - 1 - y) * stride;
            for (int x = 0; x < bitmap.Width; x++)
            {
                SKColor c = bitmap.GetPixel(x, y);
                bytes[row + x * 3] = c.Blue;
                bytes[row + x * 3 + 1] = c.Green;
                bytes[row + x * 3 + 2] = c.Red;
            }
        }

        return bytes;
    }

    /// <summary>
    /// Single-frame GIF89a with a 3-3-2 colour palette. The LZW stream sends every pixel as a literal and a
    /// Clear code often enough that codes stay 9 bits wide: valid, just not compressed.
    /// </summary>
    public static byte[] Gif(SKBitmap bitmap)
    {
        using var output = new MemoryStream();
        output.Write("GIF89a"u8);
        Span<byte> screen = stackalloc byte[7];
        BinaryPrimitives.WriteUInt16LittleEndian(screen, (ushort)bitmap.Width);
        BinaryPrimitives.WriteUInt16LittleEndian(screen[2..], (ushort)bitmap.Height);
        screen[4] = 0xF7; // global colour table of 256 entries
        output.Write(screen);
        for (int i = 0; i < 256; i++)
        {
            output.WriteByte((byte)((i >> 5) * 255 / 7));
            output.WriteByte((byte)(((i >> 2) & 7) * 255 / 7));
            output.WriteByte((byte)((i & 3) * 255 / 3));
        }

        Span<byte> descriptor = stackalloc byte[10];
        descriptor[0] = 0x2C;
        BinaryPrimitives.WriteUInt16LittleEndian(descriptor[5..], (ushort)bitmap.Width);
        BinaryPrimitives.WriteUInt16LittleEndian(descriptor[7..], (ushort)bitmap.Height);
        output.Write(descriptor);
        output.WriteByte(8); // LZW minimum code size

        var codes = new BitWriter();
        const int clear = 256;
        const int end = 257;
        int sinceClear = 0;
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                if (sinceClear == 0)
                {
                    codes.Write(clear, 9);
                }

                SKColor c = bitmap.GetPixel(x, y);
                codes.Write(((c.Red >> 5) << 5) | ((c.Green >> 5) << 2) | (c.Blue >> 6), 9);
                sinceClear = (sinceClear + 1) % 250;
            }
        }

        codes.Write(end, 9);
        byte[] data = codes.ToArray();
        for (int offset = 0; offset < data.Length; offset += 255)
        {
            int count = Math.Min(255, data.Length - offset);
            output.WriteByte((byte)count);
            output.Write(data, offset, count);
        }

        output.WriteByte(0);    // end of image data
        output.WriteByte(0x3B); // trailer
        return output.ToArray();
    }

    private sealed class BitWriter
    {
        private readonly List<byte> _bytes = [];
        private int _buffer;
        private int _bits;

        public void Write(int code, int width)
        {
            _buffer |= code << _bits;
            _bits += width;
            while (_bits >= 8)
            {
                _bytes.Add((byte)_buffer);
                _buffer >>= 8;
                _bits -= 8;
            }
        }

        public byte[] ToArray()
        {
            if (_bits > 0)
            {
                _bytes.Add((byte)_buffer);
            }

            return [.. _bytes];
        }
    }
}
