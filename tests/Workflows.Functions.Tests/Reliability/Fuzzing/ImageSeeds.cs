using System.Buffers.Binary;
using ImageMagick;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Reliability.Fuzzing;

/// <summary>
/// One real small image of every accepted format the tests can write (camera RAW as DNG; the WebP 640 × 480 with
/// metadata), and files of thousands of frames: an animated GIF and WebP (one test frame repeated), a multi-page TIFF.
/// </summary>
internal static class ImageSeeds
{
    public static IReadOnlyList<(string Format, string Extension, byte[] Content)> Originals() =>
    [
        ("jpeg", ".jpg", TestImages.JpegWithExif(160, 120, TestExif.PhonePortrait)),
        ("png", ".png", TestImages.Png(160, 120)),
        // Over the first read, with EXIF and XMP after the image data: inspection walks its chunks with ranged reads.
        ("webp", ".webp", TestImages.PhotoWebp(640, 480, TestExif.PhonePortrait, TestImages.Xmp("Contoso", "Lens 12", new DateTime(2024, 5, 17)))),
        ("gif", ".gif", TestImages.Gif(160, 120)),
        ("bmp", ".bmp", TestImages.Bmp(160, 120)),
        ("tiff", ".tif", TestImages.Tiff(160, 120)),
        ("heic", ".heic", TestFiles.Read(TestFiles.PhonePortraitHeic)),
        ("avif", ".avif", TestImages.Avif(160, 120)),
        ("jpeg-xl", ".jxl", TestImages.JpegXl(160, 120, TestExif.PhonePortrait)),
        ("psd", ".psd", TestImages.Psd(160, 120, TestExif.PhonePortrait)),
        ("dng", ".dng", TestImages.Dng(160, 120, TestExif.PhonePortrait)),
    ];

    /// <summary>GIF89a: the test GIF's screen and palette, a loop extension, then its one frame <paramref name="frames"/> times.</summary>
    public static byte[] AnimatedGif(int frames)
    {
        const int palette = 6 + 7 + 768; // header, logical screen, 256-entry global colour table
        byte[] still = TestImages.Gif(24, 16);
        using var file = new MemoryStream();
        file.Write(still, 0, palette);
        file.Write([0x21, 0xFF, 11, .. "NETSCAPE2.0"u8, 3, 1, 0, 0, 0]);
        for (int i = 0; i < frames; i++)
        {
            file.Write([0x21, 0xF9, 4, 0, 1, 0, 0, 0]); // graphic control: 10 ms
            file.Write(still, palette, still.Length - palette - 1);
        }

        file.WriteByte(0x3B);
        return file.ToArray();
    }

    /// <summary>Extended WebP (VP8X, animation flag) whose ANMF frames each hold the test WebP's VP8 chunk.</summary>
    public static byte[] AnimatedWebp(int frames)
    {
        byte[] vp8 = TestImages.Webp(24, 16)[12..]; // after RIFF size WEBP
        using var body = new MemoryStream();
        body.Write("WEBP"u8);
        Chunk(body, "VP8X", [0x02, 0, 0, 0, .. Int24(23), .. Int24(15)]);
        Chunk(body, "ANIM", [0, 0, 0, 0, 0, 0]);
        byte[] frame = [.. Int24(0), .. Int24(0), .. Int24(23), .. Int24(15), .. Int24(10), 0, .. vp8];
        for (int i = 0; i < frames; i++)
        {
            Chunk(body, "ANMF", frame);
        }

        using var file = new MemoryStream();
        file.Write("RIFF"u8);
        file.Write(BitConverter.GetBytes((uint)body.Length));
        body.WriteTo(file);
        return file.ToArray();
    }

    /// <summary>A TIFF of <paramref name="pages"/> 24 × 16 pages (from raw pixels: the app's Magick policy allows no other source).</summary>
    public static byte[] MultiPageTiff(int pages)
    {
        using var collection = new MagickImageCollection();
        for (int i = 0; i < pages; i++)
        {
            var page = new MagickImage();
            byte[] rgb = [.. Enumerable.Range(0, 24 * 16 * 3).Select(n => (byte)(n * (i + 1)))];
            page.ReadPixels(rgb, new PixelReadSettings(24, 16, StorageType.Char, PixelMapping.RGB));
            collection.Add(page);
        }

        return collection.ToByteArray(MagickFormat.Tiff);
    }

    private static void Chunk(MemoryStream riff, string fourCc, byte[] data)
    {
        riff.Write(System.Text.Encoding.ASCII.GetBytes(fourCc));
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)data.Length);
        riff.Write(size);
        riff.Write(data);
        if (data.Length % 2 == 1)
        {
            riff.WriteByte(0);
        }
    }

    private static byte[] Int24(int value) => [(byte)value, (byte)(value >> 8), (byte)(value >> 16)];
}
