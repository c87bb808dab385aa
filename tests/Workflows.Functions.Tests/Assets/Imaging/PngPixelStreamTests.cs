using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using SkiaSharp;
using Workflows.Assets.Imaging;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>
/// PNGs whose chunks and CRCs are whole but whose zlib pixel stream is damaged after it has given every row: Skia's
/// decode (libpng) takes the rows it needs and only warns about the rest, so it renders them without an error.
/// </summary>
public sealed class PngPixelStreamTests : IDisposable
{
    private const string Corrupt = "The image is truncated or corrupt";

    private readonly DecodeLimiter _limiter = new(1);

    public static TheoryData<string> DamagedStreams => ["more-than-the-rows-and-checksum-wrong", "bit-flipped-before-the-crc-was-written"];

    [Theory]
    [MemberData(nameof(DamagedStreams))]
    public async Task Render_PixelStreamDamagedAfterTheRows_RejectedWritesNothingSlotGivenBack(string kind)
    {
        // Arrange
        byte[] content = Damaged(kind);
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
    public async Task Render_PixelStreamWithEveryRowAndItsChecksum_Rendered()
    {
        // Arrange: built the same way as the damaged stream, but with exactly the rows and a right checksum.
        byte[] content = TestImages.PngWithImageData(64, 48, ZLib(Rows(64, 48)));

        // Act
        var (infos, _) = await RenditionRendering.RenderAsync(content, TestChains.Widths(RenditionFormat.Jpeg, 80, 120, 64), _limiter);

        // Assert
        Assert.Equal([64, 64], infos.Select(i => i.Width));
    }

    public void Dispose() => _limiter.Dispose();

    private static byte[] Damaged(string kind) => kind switch
    {
        // Three bytes beyond the 48 rows, then a wrong Adler-32: libpng stops inflating once it has the rows.
        "more-than-the-rows-and-checksum-wrong" => TestImages.PngWithImageData(64, 48, WrongChecksum(ZLib([.. Rows(64, 48), 9, 9, 9]))),

        // One bit of the compressed pixels flipped, the chunk's CRC computed over the damage (a faulty writer or
        // a crafted file): the stream inflates to garbage longer than the rows.
        "bit-flipped-before-the-crc-was-written" => FlipInImageData(TestImages.Png(160, 120), at: 100),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static byte[] Rows(int width, int height) =>
        [.. Enumerable.Range(0, height).SelectMany(y => (byte[])[0, .. Enumerable.Range(0, width * 3).Select(i => (byte)((i * 7) + y))])];

    private static byte[] ZLib(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return output.ToArray();
    }

    private static byte[] WrongChecksum(byte[] zlib)
    {
        zlib[^1] ^= 1;
        return zlib;
    }

    // The first IDAT chunk's data byte at <paramref name="at"/> gets one bit flipped, and the chunk's CRC is rewritten.
    private static byte[] FlipInImageData(byte[] png, int at)
    {
        var file = (byte[])png.Clone();
        int type = file.AsSpan().IndexOf("IDAT"u8);
        int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(type - 4));
        file[type + 4 + at] ^= 0x10;
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(type + 4 + length), Crc32.HashToUInt32(file.AsSpan(type, 4 + length)));
        return file;
    }

    private static bool DecodesWithoutError(byte[] content)
    {
        using SKCodec codec = SKCodec.Create(new MemoryStream(content)) ?? throw new InvalidOperationException("no codec");
        using var bitmap = new SKBitmap(codec.Info);
        return codec.GetPixels(codec.Info, bitmap.GetPixels()) == SKCodecResult.Success;
    }
}
