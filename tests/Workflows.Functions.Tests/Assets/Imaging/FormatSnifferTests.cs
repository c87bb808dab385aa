using Workflows.Assets.Imaging;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>Which reader a file goes to, from its first bytes (and, for TIFF containers, IFD0).</summary>
public sealed class FormatSnifferTests
{
    public static TheoryData<string, ImageFormat> Files => new()
    {
        { "tiff", ImageFormat.Tiff },
        { "scanner-tiff-from-nikon", ImageFormat.Tiff },
        { "dng", ImageFormat.Dng },
        { "cr2", ImageFormat.Cr2 },
        { "nef", ImageFormat.Nef },
        { "arw", ImageFormat.Arw },
        { "cr3", ImageFormat.Cr3 },
        { "heic-iphone-brands", ImageFormat.Heic },
        { "heif-generic", ImageFormat.Heif },
        { "avif", ImageFormat.Avif },
        { "jpeg-xl-codestream", ImageFormat.JpegXl },
        { "jpeg-xl-container", ImageFormat.JpegXl },
        { "psb", ImageFormat.Psd },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Sniff_KnownSignature_PicksTheReader(string kind, ImageFormat expected)
    {
        // Arrange
        byte[] head = kind switch
        {
            "tiff" => TestImages.Tiff(8, 8),
            "scanner-tiff-from-nikon" => RawLike("Nikon", subIfds: false),
            "dng" => TestImages.Dng(8, 8, new TestExif(1, "Contoso", "Lens 12")),
            "cr2" => [.. "II*\0"u8, 16, 0, 0, 0, .. "CR"u8, 2, 0, 0, 0, 0, 0],
            "nef" => RawLike("NIKON CORPORATION", subIfds: true),
            "arw" => RawLike("SONY", subIfds: true),
            "cr3" => [0, 0, 0, 24, .. "ftypcrx "u8, 0, 0, 0, 1, .. "crx isom"u8],
            "heic-iphone-brands" => [0, 0, 0, 24, .. "ftypheic"u8, 0, 0, 0, 0, .. "mif1heic"u8],
            "heif-generic" => [0, 0, 0, 20, .. "ftypmif1"u8, 0, 0, 0, 0, .. "mif1"u8],
            "avif" => [0, 0, 0, 28, .. "ftypavif"u8, 0, 0, 0, 0, .. "avifmif1miaf"u8],
            "jpeg-xl-codestream" => [0xFF, 0x0A, 0xFA, 0x1F, 0x42],
            "jpeg-xl-container" => [0, 0, 0, 0x0C, .. "JXL "u8, 0x0D, 0x0A, 0x87, 0x0A, 0, 0, 0, 0x14],
            _ => [.. "8BPS"u8, 0, 2, 0, 0, 0, 0, 0, 0],
        };

        // Act
        (ImageFormat? format, _) = FormatSniffer.Sniff(head);

        // Assert
        Assert.Equal(expected, format);
    }

    [Fact]
    public void Sniff_TheFirstBytesAnHttpUploadPeeks_RecogniseEveryAcceptedFormat()
    {
        // Arrange: a real file of each format where the tests can make one, else its signature as above; only the
        // bytes UploadAssetHttp reads before answering 415.
        Dictionary<ImageFormat, byte[]> files = new()
        {
            [ImageFormat.Jpeg] = TestImages.PhotoJpeg(64, 48),
            [ImageFormat.Png] = TestImages.Png(64, 48),
            [ImageFormat.Webp] = TestImages.Webp(64, 48),
            [ImageFormat.Gif] = TestImages.Gif(64, 48),
            [ImageFormat.Bmp] = TestImages.Bmp(64, 48),
            [ImageFormat.Tiff] = TestImages.Tiff(64, 48),
            [ImageFormat.Heic] = TestFiles.Read(TestFiles.PhonePortraitHeic),
            [ImageFormat.Heif] = [0, 0, 0, 20, .. "ftypmif1"u8, 0, 0, 0, 0, .. "mif1"u8],
            [ImageFormat.Avif] = TestImages.Avif(64, 48),
            [ImageFormat.JpegXl] = TestImages.JpegXl(64, 48),
            [ImageFormat.Psd] = TestImages.Psd(64, 48),
            [ImageFormat.Dng] = TestImages.Dng(64, 48, TestExif.PhonePortrait),
            [ImageFormat.Cr2] = [.. "II*\0"u8, 16, 0, 0, 0, .. "CR"u8, 2, 0, 0, 0, 0, 0],
            [ImageFormat.Cr3] = [0, 0, 0, 24, .. "ftypcrx "u8, 0, 0, 0, 1, .. "crx isom"u8],
            [ImageFormat.Nef] = RawLike("NIKON CORPORATION", subIfds: true),
            [ImageFormat.Arw] = RawLike("SONY", subIfds: true),
        };

        // Act
        var sniffed = files.ToDictionary(f => f.Key, f => FormatSniffer.Sniff(f.Value.AsSpan(0, Math.Min(f.Value.Length, FormatSniffer.HeaderLength))).Format);

        // Assert: every format the upload accepts is covered, and each is told from its first bytes.
        Assert.Equal(Enum.GetValues<ImageFormat>().Order(), files.Keys.Order());
        Assert.Equal(ImageFormats.UploadContentTypes.Count, files.Count);
        Assert.All(sniffed, s => Assert.Equal(s.Key, s.Value));
    }

    // A little-endian TIFF whose IFD0 names the maker, with or without the SubIFDs that hold a camera's raw data.
    private static byte[] RawLike(string make, bool subIfds)
    {
        var ifd0 = new TestImagesTiffIfd(bigEndian: false);
        ifd0.Long(256, 8);
        ifd0.Long(257, 8);
        ifd0.Ascii(271, make);
        ifd0.Long(273, 0);
        if (subIfds)
        {
            ifd0.Long(330, 0);
        }

        return TestImagesTiffIfd.Assemble(ifd0, null, [new byte[64]], 273);
    }
}
