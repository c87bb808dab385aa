using System.Text;
using Workflows.Assets.Imaging.Magick;

namespace Workflows.Assets.Imaging;

/// <summary>
/// Recognises a format from its first bytes (and, for TIFF-based camera RAW, IFD0). Supported formats come back
/// as <see cref="ImageFormat"/>; anything else gets a short human name ("PDF", "SVG", "text") for the rejection.
/// </summary>
internal static class FormatSniffer
{
    // Long enough for an ftyp box's brand list and for an SVG's XML prolog.
    private const int TextProbeLength = 1024;

    /// <summary>How many first bytes <see cref="Sniff"/> needs to tell a supported format from anything else.</summary>
    public const int HeaderLength = TextProbeLength;

    public static (ImageFormat? Format, string Detected) Sniff(ReadOnlySpan<byte> content)
    {
        ImageFormat? format = content switch
        {
            _ when content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) => ImageFormat.Jpeg,
            _ when content.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]) => ImageFormat.Png,
            _ when content.Length >= 12 && content.StartsWith("RIFF"u8) && content[8..12].SequenceEqual("WEBP"u8) => ImageFormat.Webp,
            _ when content.StartsWith("GIF87a"u8) || content.StartsWith("GIF89a"u8) => ImageFormat.Gif,
            _ when IsBmp(content) => ImageFormat.Bmp,
            _ when content.StartsWith("II*\0"u8) || content.StartsWith("MM\0*"u8) || content.StartsWith("II+\0"u8) || content.StartsWith("MM\0+"u8)
                => TiffContainer.Kind(content),
            _ when content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0x0A])
                || content.StartsWith((ReadOnlySpan<byte>)[0, 0, 0, 0x0C, (byte)'J', (byte)'X', (byte)'L', (byte)' ', 0x0D, 0x0A, 0x87, 0x0A]) => ImageFormat.JpegXl,
            _ when content.StartsWith("8BPS\0\x01"u8) || content.StartsWith("8BPS\0\x02"u8) => ImageFormat.Psd,
            _ when content.Length >= 16 && content[4..8].SequenceEqual("ftyp"u8) => IsoMediaBrand(content),
            _ => null,
        };
        return format is { } known ? (known, known.ToString().ToUpperInvariant()) : (null, NameUnsupported(content));
    }

    // "BM" alone is too weak (it starts plenty of text): also require a known DIB header size at offset 14.
    private static bool IsBmp(ReadOnlySpan<byte> head) =>
        head.Length >= 18 && head.StartsWith("BM"u8)
        && BitConverter.ToInt32(head[14..18]) is 12 or 16 or 40 or 52 or 56 or 64 or 108 or 124;

    // ISO base media (HEIF, AVIF, CR3, video): the major and compatible brands of the ftyp box say which.
    private static ImageFormat? IsoMediaBrand(ReadOnlySpan<byte> content)
    {
        int boxSize = (int)Math.Clamp(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(content), 16, Math.Min(content.Length, 256));
        List<string> brands = [Encoding.ASCII.GetString(content[8..12])];
        for (int at = 16; at + 4 <= boxSize; at += 4)
        {
            brands.Add(Encoding.ASCII.GetString(content.Slice(at, 4)));
        }

        return brands switch
        {
            _ when brands.Contains("crx ") => ImageFormat.Cr3,
            _ when brands.Contains("avif") || brands.Contains("avis") => ImageFormat.Avif,
            _ when brands.Intersect(["heic", "heix", "heim", "heis", "hevc", "hevx"]).Any() => ImageFormat.Heic,
            _ when brands.Contains("mif1") || brands.Contains("msf1") => ImageFormat.Heif,
            _ => null,
        };
    }

    private static string NameUnsupported(ReadOnlySpan<byte> content)
    {
        ReadOnlySpan<byte> head = content[..Math.Min(content.Length, TextProbeLength)];
        return head switch
        {
            _ when head.Length >= 8 && head[4..8].SequenceEqual("ftyp"u8) => "MP4/QuickTime video",
            _ when head.StartsWith("%PDF"u8) => "PDF",
            _ when head.StartsWith("PK\x03\x04"u8) => "ZIP archive",
            _ when head.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0x01, 0x00]) => "icon",
            _ when head.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0x00, 0x0C, (byte)'j', (byte)'P']) || head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0x4F, 0xFF, 0x51]) => "JPEG 2000",
            _ when LooksLikeText(head) => ContainsSvgElement(head) ? "SVG" : "text",
            _ => "unrecognised binary data",
        };
    }

    private static bool ContainsSvgElement(ReadOnlySpan<byte> head) =>
        Encoding.UTF8.GetString(head).Contains("<svg", StringComparison.OrdinalIgnoreCase);

    private static bool LooksLikeText(ReadOnlySpan<byte> head)
    {
        ReadOnlySpan<byte> body = head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? head[3..] : head;
        foreach (byte b in body)
        {
            bool control = b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r');
            if (control || b == 0x7F)
            {
                return false;
            }
        }

        // Bytes >= 0x80 must form UTF-8; a sequence cut by the probe length is fine.
        try
        {
            _ = new UTF8Encoding(false, true).GetCharCount(body[..LastCompleteUtf8(body)]);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static int LastCompleteUtf8(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.Length;
        for (int i = Math.Max(0, end - 3); i < end; i++)
        {
            int needed = bytes[i] >= 0xF0 ? 4 : bytes[i] >= 0xE0 ? 3 : bytes[i] >= 0xC0 ? 2 : 1;
            if (i + needed > end)
            {
                return i;
            }
        }

        return end;
    }
}
