using System.Text;

namespace Workflows.Assets.Imaging;

/// <summary>
/// Recognises a format from its first bytes. Supported formats come back as <see cref="ImageFormat"/>; anything
/// else gets a short human name ("HEIC", "PDF", "text") for the rejection message.
/// </summary>
internal static class FormatSniffer
{
    public const int HeaderLength = 32;

    public static (ImageFormat? Format, string Detected) Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return (ImageFormat.Jpeg, "JPEG");
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return (ImageFormat.Png, "PNG");
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return (ImageFormat.Webp, "WebP");
        }

        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return (ImageFormat.Gif, "GIF");
        }

        if (IsBmp(head))
        {
            return (ImageFormat.Bmp, "BMP");
        }

        // BigTIFF ("+" instead of "*") too: it is a TIFF, and the TIFF reader says which variants it takes.
        if (head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8) || head.StartsWith("II+\0"u8) || head.StartsWith("MM\0+"u8))
        {
            return (ImageFormat.Tiff, "TIFF");
        }

        return (null, NameUnsupported(head));
    }

    // "BM" alone is too weak (it starts plenty of text): also require a known DIB header size at offset 14.
    private static bool IsBmp(ReadOnlySpan<byte> head) =>
        head.Length >= 18 && head.StartsWith("BM"u8)
        && BitConverter.ToInt32(head[14..18]) is 12 or 16 or 40 or 52 or 56 or 64 or 108 or 124;

    private static string NameUnsupported(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8))
        {
            ReadOnlySpan<byte> brand = head[8..12];
            return brand.SequenceEqual("avif"u8) || brand.SequenceEqual("avis"u8) ? "AVIF"
                : brand.SequenceEqual("heic"u8) || brand.SequenceEqual("heix"u8) || brand.SequenceEqual("mif1"u8) ? "HEIC"
                : "MP4/QuickTime video";
        }

        if (head.StartsWith("%PDF"u8))
        {
            return "PDF";
        }

        if (head.StartsWith("PK\x03\x04"u8))
        {
            return "ZIP archive";
        }

        if (head.StartsWith("8BPS"u8))
        {
            return "Photoshop document";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0x01, 0x00]))
        {
            return "icon";
        }

        return LooksLikeText(head) ? "text" : "unrecognised binary data";
    }

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

        // Bytes >= 0x80 must form UTF-8; a sequence cut by the header length is fine.
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
