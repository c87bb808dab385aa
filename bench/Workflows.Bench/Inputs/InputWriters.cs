using System.Buffers.Binary;
using System.IO.Hashing;
using NetVips;

namespace Workflows.Bench.Inputs;

/// <summary>Writes a synthesized picture in each input format (libvips where it can, by hand for BMP and PNG tags).</summary>
internal static class InputWriters
{
    /// <param name="upright">Stores the picture turned a quarter, as the upright view of an orientation-6 photo.</param>
    public static Action<Image, string> Jpeg(int quality, bool progressive = false, int orientation = 1, bool upright = false) => (image, path) =>
    {
        // Cameras subsample chroma 4:2:0 even at high quality; libvips would not by default at q >= 90.
        Image stored = upright ? image.Rot90() : image;
        Image tagged = orientation == 1 ? stored : stored.Mutate(m => m.Set(GValue.GIntType, "orientation", orientation));
        tagged.Jpegsave(path, q: quality, interlace: progressive, subsampleMode: Enums.ForeignSubsample.On,
            keep: orientation == 1 ? Enums.ForeignKeep.None : Enums.ForeignKeep.Exif);
    };

    public static Action<Image, string> Png(bool tagged) => (image, path) =>
    {
        image.Pngsave(path, compression: 6, keep: Enums.ForeignKeep.None);
        if (tagged)
        {
            File.WriteAllBytes(path, WithSrgbGammaChunks(File.ReadAllBytes(path)));
        }
    };

    public static Action<Image, string> Webp(int quality) => (image, path) => image.Webpsave(path, q: quality, keep: Enums.ForeignKeep.None);

    public static void Gif(Image image, string path) => image.Gifsave(path, keep: Enums.ForeignKeep.None);

    public static void Tiff(Image image, string path) =>
        image.Tiffsave(path, compression: Enums.ForeignTiffCompression.Lzw, predictor: Enums.ForeignTiffPredictor.Horizontal, keep: Enums.ForeignKeep.None);

    public static void Avif(Image image, string path) =>
        image.Heifsave(path, q: 60, compression: Enums.ForeignHeifCompression.Av1, effort: 2, keep: Enums.ForeignKeep.None);

    /// <summary>24-bit bottom-up BMP with a 40-byte info header (libvips writes BMP only through ImageMagick).</summary>
    public static void Bmp(Image image, string path)
    {
        byte[] rgb = image.WriteToMemory<byte>();
        int width = image.Width, height = image.Height;
        int stride = (width * 3 + 3) & ~3;
        byte[] file = new byte[54 + stride * height];
        Span<byte> header = file;
        "BM"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[2..], file.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header[10..], 54);
        BinaryPrimitives.WriteInt32LittleEndian(header[14..], 40);
        BinaryPrimitives.WriteInt32LittleEndian(header[18..], width);
        BinaryPrimitives.WriteInt32LittleEndian(header[22..], height);
        BinaryPrimitives.WriteInt16LittleEndian(header[26..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(header[28..], 24);
        BinaryPrimitives.WriteInt32LittleEndian(header[34..], stride * height);
        for (int y = 0; y < height; y++)
        {
            Span<byte> row = file.AsSpan(54 + (height - 1 - y) * stride, width * 3);
            ReadOnlySpan<byte> source = rgb.AsSpan(y * width * 3, width * 3);
            for (int x = 0; x < width; x++)
            {
                row[x * 3] = source[x * 3 + 2];
                row[x * 3 + 1] = source[x * 3 + 1];
                row[x * 3 + 2] = source[x * 3];
            }
        }

        File.WriteAllBytes(path, file);
    }

    /// <summary>
    /// Inserts gAMA (1/2.2) and cHRM (sRGB primaries) after IHDR, as many exporters write them: the pixels stay sRGB,
    /// but a decoder that honours the tags runs a colour conversion.
    /// </summary>
    private static byte[] WithSrgbGammaChunks(byte[] png)
    {
        const int afterHeader = 8 + 25; // signature, IHDR
        using var output = new MemoryStream();
        output.Write(png, 0, afterHeader);
        WriteChunk(output, "gAMA"u8, [45455]);
        WriteChunk(output, "cHRM"u8, [31270, 32900, 64000, 33000, 30000, 60000, 15000, 6000]);
        output.Write(png, afterHeader, png.Length - afterHeader);
        return output.ToArray();
    }

    private static void WriteChunk(MemoryStream output, ReadOnlySpan<byte> type, uint[] values)
    {
        byte[] chunk = new byte[4 + values.Length * 4];
        type.CopyTo(chunk);
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(4 + i * 4), values[i]);
        }

        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(number, (uint)values.Length * 4);
        output.Write(number);
        output.Write(chunk);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32.HashToUInt32(chunk));
        output.Write(number);
    }
}
