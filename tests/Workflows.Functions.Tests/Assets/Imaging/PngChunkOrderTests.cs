using System.Buffers.Binary;
using SkiaSharp;
using Workflows.Assets.Imaging;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>
/// PNG chunk rules the spec makes (PLTE and tRNS once each, before the image data; the IDAT chunks consecutive):
/// a file that breaks them is rejected as corrupt, as a chunk cut short is, instead of decoded with the last palette.
/// And the row decoder stops when the rendering is cancelled.
/// </summary>
public sealed class PngChunkOrderTests
{
    private const string Corrupt = "The image is truncated or corrupt";

    public static TheoryData<string> BrokenOrders => ["PLTE twice", "tRNS twice", "PLTE after IDAT", "tRNS after IDAT", "tRNS before PLTE", "chunk between IDATs"];

    [Theory]
    [MemberData(nameof(BrokenOrders))]
    public void Verify_ChunkOrderAgainstTheSpec_RejectedAsCorrupt(string broken)
    {
        // Arrange: a palette image with a transparent palette, its chunks rearranged
        List<(string Type, byte[] Data)> chunks = Chunks(PngRowDecoderTests.Png(37, 23, 3, transparentPalette: true));
        int plte = chunks.FindIndex(c => c.Type == "PLTE"), trns = chunks.FindIndex(c => c.Type == "tRNS"), idat = chunks.FindIndex(c => c.Type == "IDAT");
        switch (broken)
        {
            case "PLTE twice": chunks.Insert(trns, chunks[plte]); break;
            case "tRNS twice": chunks.Insert(idat, (chunks[trns].Type, [.. chunks[trns].Data.Select(b => (byte)(255 - b))])); break;
            case "PLTE after IDAT": chunks.Insert(idat + 1, chunks[plte]); break;
            case "tRNS after IDAT": chunks.Insert(idat + 1, chunks[trns]); break;
            case "tRNS before PLTE": (chunks[plte], chunks[trns]) = (chunks[trns], chunks[plte]); break; // libpng ignores it ("out of place"): the row decoder applied it
            default:
                byte[] data = chunks[idat].Data;
                chunks[idat] = ("IDAT", data[..(data.Length / 2)]);
                chunks.InsertRange(idat + 1, [("tEXt", "Comment\0between"u8.ToArray()), ("IDAT", data[(data.Length / 2)..])]);
                break;
        }

        using SKData content = SKData.CreateCopy(Assemble(chunks));

        // Act (a second PLTE before the pixels already stops Skia's codec at the header)
        var ex = Assert.Throws<ImageRejectedException>(() =>
        {
            using ImageDecoder image = ImageDecoder.Open(content, ImageLimits.Default);
            image.Verify();
        });

        // Assert
        Assert.StartsWith(Corrupt, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ImageDataSplitIntoConsecutiveChunks_Accepted()
    {
        // Arrange: the pixel stream in three IDAT chunks back to back (as encoders write it)
        List<(string Type, byte[] Data)> chunks = Chunks(PngRowDecoderTests.Png(37, 23, 3, transparentPalette: true));
        int idat = chunks.FindIndex(c => c.Type == "IDAT");
        byte[] data = chunks[idat].Data;
        chunks[idat] = ("IDAT", data[..10]);
        chunks.InsertRange(idat + 1, [("IDAT", data[10..20]), ("IDAT", data[20..])]);
        using SKData content = SKData.CreateCopy(Assemble(chunks));
        using ImageDecoder image = ImageDecoder.Open(content, ImageLimits.Default);

        // Act
        image.Verify();
        using SKBitmap decoded = image.Decode(int.MaxValue);

        // Assert
        Assert.Equal((37, 23), (decoded.Width, decoded.Height));
    }

    // The rendering checks every chunk's CRC once and its checks (layout, inspection's replay, pixel stream) share that
    // walk: by the chunks' lengths again, not a list of them (16 bytes a chunk: ~5x the size of a crafted file of empty
    // chunks, some 270 MB allocated at the 50 MB upload limit).
    [Fact]
    public void Verify_PngOfAMillionEmptyChunks_HoldsNothingPerChunk()
    {
        // Arrange: a 37 x 23 RGB image with 1,000,000 empty ancillary chunks (12 bytes each) before its pixels.
        List<(string Type, byte[] Data)> chunks = Chunks(PngRowDecoderTests.Png(37, 23, 2, transparentPalette: false));
        chunks.InsertRange(1, Enumerable.Repeat(("teSt", Array.Empty<byte>()), 1_000_000));
        using SKData content = SKData.CreateCopy(Assemble(chunks));
        using ImageDecoder image = ImageDecoder.Open(content, ImageLimits.Default);

        // Act
        long before = GC.GetAllocatedBytesForCurrentThread();
        image.Verify();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert
        Assert.True(allocated < content.Size / 8, $"{allocated} bytes allocated verifying a {content.Size}-byte PNG");
    }

    [Fact]
    public void Decode_TransparencyLongerThanThePalette_IgnoredAsSkiaIgnoresIt()
    {
        // Arrange: 17 alpha values for 16 palette entries (libpng drops such a tRNS as invalid: Skia decodes it opaque)
        List<(string Type, byte[] Data)> chunks = Chunks(PngRowDecoderTests.Png(37, 23, 3, transparentPalette: true));
        chunks[chunks.FindIndex(c => c.Type == "tRNS")] = ("tRNS", [.. Enumerable.Repeat((byte)100, 17)]);
        byte[] png = Assemble(chunks);
        using SKBitmap expected = PngRowDecoderTests.SkiaDecode(png);
        using SKData content = SKData.CreateCopy(png);
        using ImageDecoder image = ImageDecoder.Open(content, ImageLimits.Default);
        image.Verify();

        // Act
        using SKBitmap actual = image.Decode(int.MaxValue);

        // Assert
        Assert.Equal((expected.Width, expected.Height, expected.AlphaType), (actual.Width, actual.Height, actual.AlphaType));
        Assert.True(PngRowDecoderTests.MaxDifference(expected.GetPixelSpan(), actual.GetPixelSpan()) <= 1);
    }

    [Fact]
    public void Decode_Cancelled_StopsWithoutABitmap()
    {
        // Arrange
        using SKData content = SKData.CreateCopy(PngRowDecoderTests.Png(37, 23, 2, transparentPalette: false));
        using ImageDecoder image = ImageDecoder.Open(content, ImageLimits.Default);
        image.Verify();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        // Act and assert
        Assert.Throws<OperationCanceledException>(() => image.Decode(int.MaxValue, cancelled.Token));
    }

    private static List<(string Type, byte[] Data)> Chunks(byte[] png)
    {
        List<(string, byte[])> chunks = [];
        for (int offset = 8; offset < png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            chunks.Add((System.Text.Encoding.ASCII.GetString(png, offset + 4, 4), png[(offset + 8)..(offset + 8 + length)]));
            offset += 12 + length;
        }

        return chunks;
    }

    private static byte[] Assemble(List<(string Type, byte[] Data)> chunks) =>
        [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, .. TestImages.PngChunks([.. chunks])];
}
