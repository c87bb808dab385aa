using System.Buffers.Binary;
using System.Text;
using SkiaSharp;

namespace Workflows.Tests.TestSupport;

/// <summary>Extended WebPs as cameras and editors write them: VP8X, the image data, then EXIF and XMP chunks.</summary>
public static partial class TestImages
{
    /// <summary>A noisy 80%-quality WebP (<see cref="Photo"/>) with EXIF and XMP chunks after its image data.</summary>
    public static byte[] PhotoWebp(int width, int height, TestExif exif, string? xmp = null) =>
        WebpWithMetadata(Encode(Photo(width, height, 42), SKEncodedImageFormat.Webp, 80), exif, xmp);

    /// <summary>
    /// Rewrites a simple WebP (RIFF, WEBP, one VP8 or VP8L chunk) as an extended one: VP8X with the EXIF (and XMP)
    /// flags, the image chunk, an EXIF chunk holding <paramref name="exif"/> as a TIFF stream, then the XMP chunk.
    /// </summary>
    public static byte[] WebpWithMetadata(byte[] simpleWebp, TestExif exif, string? xmp = null, params (string Type, byte[] Data)[] more)
    {
        ArgumentNullException.ThrowIfNull(simpleWebp);
        if (!simpleWebp.AsSpan(12).StartsWith("VP8 "u8) && !simpleWebp.AsSpan(12).StartsWith("VP8L"u8))
        {
            throw new ArgumentException("Not a simple WebP.", nameof(simpleWebp));
        }

        using var body = new MemoryStream();
        body.Write("WEBP"u8);
        using var probe = SKCodec.Create(new MemoryStream(simpleWebp));
        byte flags = (byte)(0x08 | (xmp is null ? 0 : 0x04));
        WebpChunk(body, "VP8X", [flags, 0, 0, 0, .. Int24(probe.Info.Width - 1), .. Int24(probe.Info.Height - 1)]);
        body.Write(simpleWebp.AsSpan(12)); // the image chunk, padding included
        WebpChunk(body, "EXIF", TestImagesExif.Tiff(exif));
        if (xmp is not null)
        {
            WebpChunk(body, "XMP ", Encoding.UTF8.GetBytes(xmp));
        }

        foreach (var (type, data) in more)
        {
            WebpChunk(body, type, data);
        }

        using var file = new MemoryStream();
        file.Write("RIFF"u8);
        file.Write(BitConverter.GetBytes((uint)body.Length));
        body.WriteTo(file);
        return file.ToArray();
    }

    /// <summary>A RIFF chunk: four-character type, little-endian size, data, a pad byte when the size is odd.</summary>
    internal static void WebpChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        output.Write(Encoding.ASCII.GetBytes(type));
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)data.Length);
        output.Write(size);
        output.Write(data);
        if (data.Length % 2 == 1)
        {
            output.WriteByte(0);
        }
    }

    private static byte[] Int24(int value) => [(byte)value, (byte)(value >> 8), (byte)(value >> 16)];
}
