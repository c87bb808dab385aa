using System.Buffers.Binary;
using System.IO.Hashing;
using SkiaSharp;
using Workflows.Assets.Imaging;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>
/// The rendering decodes an original once: <see cref="ImageDecoder.Verify"/> checks the structure only (no decoding;
/// a PNG's pixel stream is inflated), and the decode rejects the rest. Together they reject every damaged file before a rendition is written.
/// </summary>
public sealed class ImageStructureTests : IDisposable
{
    private const string Corrupt = "The image is truncated or corrupt";

    private readonly DecodeLimiter _limiter = new(1);

    public static TheoryData<string> DamagedPixels =>
    [
        "png-rows-missing", "png-not-zlib", "png-filter-type-out-of-range", "png-empty-zlib-stream",
        "progressive-jpeg-invalid-later-scan", "webp-image-data-cut-short", "gif-cut-short", "bmp-cut-short",
    ];

    public static TheoryData<string> DamagedPixelsNotPng => ["progressive-jpeg-invalid-later-scan", "webp-image-data-cut-short", "gif-cut-short", "bmp-cut-short"];

    public static TheoryData<string> DamagedPngPixelStream => ["png-rows-missing", "png-not-zlib", "png-filter-type-out-of-range", "png-empty-zlib-stream"];

    [Theory]
    [MemberData(nameof(DamagedPixelsNotPng))]
    public void Verify_WholeStructureDamagedPixels_DecodesNothingAndTheDecodeRejects(string kind)
    {
        // Arrange: the structure is whole (the JPEG's segments to its end marker).
        byte[] content = Damaged(kind);
        using SKData data = SKData.CreateCopy(content);
        using ImageDecoder image = ImageDecoder.Open(data, ImageLimits.Default);

        // Act: the structure check passes it on (it used to decode everything, a second decode)...
        image.Verify();

        // Assert: ...and the one decode rejects it, at the smallest scale as at full size.
        foreach (int width in new[] { 1, int.MaxValue })
        {
            var ex = Assert.Throws<ImageRejectedException>(() => image.Decode(width));
            Assert.StartsWith(Corrupt, ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(DamagedPngPixelStream))]
    public void VerifyAndDecode_DamagedPngPixelStream_Rejected(string kind)
    {
        // Arrange: every chunk and CRC whole; the decode would reject these too, but a stream that turns to garbage
        // after its rows it renders (PngPixelStreamTests), so the structure check inflates the stream.
        using SKData data = SKData.CreateCopy(Damaged(kind));
        using ImageDecoder image = ImageDecoder.Open(data, ImageLimits.Default);

        // Act: a PNG the row decoder reads has its pixel stream checked as it is decoded (inflated once), others by Verify.
        var ex = Assert.Throws<ImageRejectedException>(() =>
        {
            image.Verify();
            image.Decode(int.MaxValue).Dispose();
        });

        // Assert
        Assert.StartsWith(Corrupt, ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> IncompleteButDecodable =>
    [
        "png-cut-after-last-row", "png-without-iend", "png-ancillary-chunk-crc-wrong", "progressive-jpeg-without-end-marker",
        "webp-riff-size-beyond-file", "webp-cut-in-trailing-exif", "webp-cut-in-trailing-xmp",
    ];

    [Theory]
    [MemberData(nameof(IncompleteButDecodable))]
    public async Task Render_IncompleteFileTheDecodeAccepts_RejectedByTheStructureCheckWritesNothing(string kind)
    {
        // Arrange: Skia decodes these without an error, so the structure check is what rejects them.
        byte[] content = kind switch
        {
            "png-cut-after-last-row" => TestImages.Png(160, 120)[..^5],
            "png-without-iend" => TestImages.Png(160, 120)[..^12],
            "png-ancillary-chunk-crc-wrong" => WithTextChunk(TestImages.Png(160, 120), crcRight: false),
            "progressive-jpeg-without-end-marker" => TestFiles.Read(TestFiles.ProgressiveJpeg)[..^2],
            "webp-riff-size-beyond-file" => WithRiffSize(WebpWithMetadata(), 4096),
            "webp-cut-in-trailing-exif" => WebpWithMetadata(xmp: false)[..^9],
            "webp-cut-in-trailing-xmp" => WebpWithMetadata()[..^9],
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        Assert.True(DecodesWithoutError(content), "the decode alone would accept it");
        int writes = 0;

        // Act
        var ex = await Assert.ThrowsAsync<ImageRejectedException>(() =>
            RenditionRendering.RenderAsync(content, TestChains.Widths(RenditionFormat.Jpeg, 80, 120, 64), _limiter, () => writes++));

        // Assert
        Assert.StartsWith(Corrupt, ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, writes);
        Assert.Equal(1, _limiter.AvailableSlots);
    }

    [Fact]
    public async Task Render_PngWithACorrectTextChunk_Rendered()
    {
        // Arrange: the same file as above with the text chunk's CRC right, so that rejection is about the CRC alone.
        byte[] content = WithTextChunk(TestImages.Png(160, 120), crcRight: true);

        // Act
        var (infos, _) = await RenditionRendering.RenderAsync(content, TestChains.Widths(RenditionFormat.Jpeg, 80, 120, 64), _limiter);

        // Assert
        Assert.Equal([120, 64], infos.Select(i => i.Width));
    }

    [Fact]
    public async Task Render_WebpWithBytesAfterItsRiffChunk_RenderedAsLibwebpIgnoresThem()
    {
        // Arrange: as bytes after a PNG's IEND or a JPEG's end marker, nothing the image needs is missing.
        byte[] content = [.. WebpWithMetadata(), .. "JUNKJUNKJUNK"u8];

        // Act
        var (infos, _) = await RenditionRendering.RenderAsync(content, TestChains.Widths(RenditionFormat.Jpeg, 80, 120, 64), _limiter);

        // Assert
        Assert.Equal([120, 64], infos.Select(i => i.Width));
    }

    [Theory]
    [MemberData(nameof(DamagedPixels))]
    public async Task Render_WholeStructureDamagedPixels_RejectedByTheDecodeWritesNothingSlotGivenBack(string kind)
    {
        // Arrange
        byte[] content = Damaged(kind);
        int writes = 0;

        // Act
        var ex = await Assert.ThrowsAsync<ImageRejectedException>(() =>
            RenditionRendering.RenderAsync(content, TestChains.Widths(RenditionFormat.Jpeg, 80, 120, 64), _limiter, () => writes++));

        // Assert
        Assert.StartsWith(Corrupt, ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, writes);
        Assert.Equal(1, _limiter.AvailableSlots);
    }

    public void Dispose() => _limiter.Dispose();

    private static byte[] Damaged(string kind) => kind switch
    {
        "png-rows-missing" => TestImages.PngWithImageData(64, 48, TestImages.PngRows(64, 20)),
        "png-not-zlib" => TestImages.PngWithImageData(64, 48, [.. Enumerable.Range(0, 2000).Select(i => (byte)(i * 31 + 7))]),
        "png-filter-type-out-of-range" => TestImages.PngWithImageData(64, 48, TestImages.PngRows(64, 48, filter: 9)),
        "png-empty-zlib-stream" => TestImages.PngWithImageData(64, 48, TestImages.PngRows(64, 0)),
        "progressive-jpeg-invalid-later-scan" => WithInvalidLastScan(TestFiles.Read(TestFiles.ProgressiveJpeg)),
        "webp-image-data-cut-short" => WebpImageDataCutShort(TestImages.Webp(300, 200)),
        "gif-cut-short" => TestImages.Truncated(TestImages.Gif(300, 200)),
        "bmp-cut-short" => TestImages.Truncated(TestImages.Bmp(300, 200)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    // The last scan header claims a DC band running to coefficient 63 (Ss 0, Se 63), which a progressive JPEG forbids;
    // its length and every marker stay as they were. (Entropy-coded data stuffs 0xFF, so FF DA is always a scan header.)
    private static byte[] WithInvalidLastScan(byte[] jpeg)
    {
        var file = (byte[])jpeg.Clone();
        int sos = file.AsSpan().LastIndexOf([(byte)0xFF, (byte)0xDA]);
        int components = file[sos + 4];
        file[sos + 5 + (2 * components)] = 0;
        file[sos + 6 + (2 * components)] = 63;
        return file;
    }

    private static byte[] WebpWithMetadata(bool xmp = true) =>
        TestImages.PhotoWebp(160, 120, TestExif.PhonePortrait, xmp ? TestImages.Xmp("Contoso", "Lens 12", new DateTime(2024, 5, 17)) : null);

    // The RIFF size claims more bytes than the file holds; every chunk is whole.
    private static byte[] WithRiffSize(byte[] webp, int beyond)
    {
        var file = (byte[])webp.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)(file.Length - 8 + beyond));
        return file;
    }

    // A simple WebP's one image chunk cut to half its data, its size and the RIFF size rewritten to match: the
    // structure is whole, the compressed pixels are not.
    private static byte[] WebpImageDataCutShort(byte[] simpleWebp)
    {
        int half = (BinaryPrimitives.ReadInt32LittleEndian(simpleWebp.AsSpan(16)) / 4) * 2;
        var file = simpleWebp[..(20 + half)];
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(16), half);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(4), file.Length - 8);
        return file;
    }

    // A tEXt chunk after IHDR (which ends at byte 33), with its CRC right or one off.
    private static byte[] WithTextChunk(byte[] png, bool crcRight)
    {
        byte[] typeAndData = [.. "tEXt"u8, .. "Comment\0taken on holiday"u8];
        var chunk = new byte[typeAndData.Length + 8];
        BinaryPrimitives.WriteInt32BigEndian(chunk, typeAndData.Length - 4);
        typeAndData.CopyTo(chunk, 4);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(chunk.Length - 4), Crc32.HashToUInt32(typeAndData) + (crcRight ? 0u : 1u));
        return [.. png[..33], .. chunk, .. png[33..]];
    }

    private static bool DecodesWithoutError(byte[] content)
    {
        using SKCodec codec = SKCodec.Create(new MemoryStream(content)) ?? throw new InvalidOperationException("no codec");
        using var bitmap = new SKBitmap(codec.Info);
        return codec.GetPixels(codec.Info, bitmap.GetPixels()) == SKCodecResult.Success;
    }
}
