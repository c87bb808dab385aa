using System.Buffers.Binary;
using System.IO.Compression;
using SkiaSharp;
using Workflows.Assets.Imaging;
using Workflows.Assets.Imaging.Png;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>
/// The row-streaming PNG decoder against Skia's full decode of the same file: every colour type it reads, rows
/// filtered with every filter type, at full size (equal within 1 level: premultiplication rounding) and shrunk by a
/// whole factor (a box average of Skia's pixels).
/// </summary>
public sealed class PngRowDecoderTests
{
    // Every colour type it reads, at full size and at least 13 px wide (37 / 3: factor 3, 13 × 8, the largest factor
    // still wide enough; 2 would give 19 × 12).
    public static TheoryData<byte, bool, int> ColourTypesAndWidths()
    {
        var data = new TheoryData<byte, bool, int>();
        foreach (var (colourType, transparentPalette) in new (byte, bool)[] { (0, false), (2, false), (3, false), (3, true), (4, false), (6, false) })
        {
            data.Add(colourType, transparentPalette, int.MaxValue);
            data.Add(colourType, transparentPalette, 13);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ColourTypesAndWidths))]
    public void Decode_FullSizeOrShrunk_IsSkiasDecodeOrABoxAverageOfIt(byte colourType, bool transparentPalette, int minWidth)
    {
        // Arrange
        int factor = minWidth == int.MaxValue ? 1 : 3;
        byte[] png = Png(37, 23, colourType, transparentPalette);
        using SKBitmap full = SkiaDecode(png);
        using SKData data = SKData.CreateCopy(png);
        using ImageDecoder image = ImageDecoder.Open(data, ImageLimits.Default);
        image.Verify();

        // Act
        SKSizeI size = image.DecodeSize(minWidth);
        using SKBitmap actual = image.Decode(minWidth);

        // Assert: equal within 1 level (premultiplication rounding), or a box average of Skia's pixels.
        Assert.Equal(new SKSizeI((37 + factor - 1) / factor, (23 + factor - 1) / factor), size);
        Assert.Equal((size.Width, size.Height, full.AlphaType), (actual.Width, actual.Height, actual.AlphaType));
        Assert.True(MaxDifference(BoxAverage(full, factor), actual.GetPixelSpan()) <= 1);
    }

    public static TheoryData<byte, bool, int> ColourTypesByFactor()
    {
        var data = new TheoryData<byte, bool, int>();
        foreach (var (colourType, transparentPalette) in new (byte, bool)[] { (0, false), (2, false), (3, false), (3, true), (4, false), (6, false) })
        {
            for (int factor = 1; factor <= 8; factor++)
            {
                data.Add(colourType, transparentPalette, factor);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ColourTypesByFactor))]
    public void Decode_EveryFactor_IsABoxAverageOfSkiasDecode(byte colourType, bool transparentPalette, int factor)
    {
        // Arrange: 45 × 29 divides by none of 2, 4, 6, 7, 8 (and leaves 29 rows: a short last block row for all but 1)
        byte[] png = Png(45, 29, colourType, transparentPalette);
        using SKBitmap full = SkiaDecode(png);
        using SKData data = SKData.CreateCopy(png);
        PngLayout layout = PngLayout.Read(data).Layout!;

        // Act
        using SKBitmap actual = PngRowDecoder.Decode(data, layout, factor);

        // Assert
        Assert.Equal(((45 + factor - 1) / factor, (29 + factor - 1) / factor, full.AlphaType), (actual.Width, actual.Height, actual.AlphaType));
        Assert.True(MaxDifference(BoxAverage(full, factor), actual.GetPixelSpan()) <= 1);
    }

    [Fact]
    public void Decode_SecondIhdrAfterTheRows_KeepsTheFirstHeadersSize()
    {
        // Arrange: a second IHDR after IDAT (Skia's codec and ImageLimits only ever see the first) claiming 5000 × 5000
        byte[] png = Png(37, 23, 2, false);
        var lie = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(lie, 5000);
        BinaryPrimitives.WriteInt32BigEndian(lie.AsSpan(4), 5000);
        lie[8] = 8;
        lie[9] = 2;
        using var hostile = new MemoryStream();
        hostile.Write(png.AsSpan(0, png.Length - 12));
        TestImages.WritePngChunk(hostile, "IHDR", lie);
        TestImages.WritePngChunk(hostile, "IEND", []);
        using SKData data = SKData.CreateCopy(hostile.ToArray());
        using ImageDecoder image = ImageDecoder.Open(data, ImageLimits.Default);
        image.Verify();

        // Act
        SKSizeI size = image.DecodeSize(int.MaxValue);
        using SKBitmap actual = image.Decode(int.MaxValue);

        // Assert: the size the limits checked and the decode slots are weighed by
        Assert.Equal(new SKSizeI(37, 23), size);
        Assert.Equal((37, 23), (actual.Width, actual.Height));
    }

    private static byte[] BoxAverage(SKBitmap full, int factor)
    {
        int w = (full.Width + factor - 1) / factor, h = (full.Height + factor - 1) / factor;
        var result = new byte[w * h * 4];
        ReadOnlySpan<byte> src = full.GetPixelSpan();
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                for (int c = 0; c < 4; c++)
                {
                    int sum = 0, count = 0;
                    for (int sy = y * factor; sy < Math.Min(full.Height, (y + 1) * factor); sy++)
                    {
                        for (int sx = x * factor; sx < Math.Min(full.Width, (x + 1) * factor); sx++)
                        {
                            sum += src[(sy * full.RowBytes) + (4 * sx) + c];
                            count++;
                        }
                    }

                    result[(((y * w) + x) * 4) + c] = (byte)((sum + (count / 2)) / count);
                }
            }
        }

        return result;
    }

    internal static int MaxDifference(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        Assert.Equal(a.Length, b.Length);
        int max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }

    internal static SKBitmap SkiaDecode(byte[] png)
    {
        using SKCodec codec = SKCodec.Create(new MemoryStream(png)) ?? throw new InvalidOperationException("no codec");
        SKAlphaType alpha = codec.Info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul;
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKImageInfo.PlatformColorType, alpha, SKColorSpace.CreateSrgb());
        var bitmap = new SKBitmap(info);
        Assert.Equal(SKCodecResult.Success, codec.GetPixels(info, bitmap.GetPixels()));
        return bitmap;
    }

    // Pseudo-random filtered bytes, the filter type cycling 0-4 by row: whatever they unfilter to, both decoders must agree.
    internal static byte[] Png(int width, int height, byte colourType, bool transparentPalette)
    {
        int channels = colourType switch { 0 or 3 => 1, 2 => 3, 4 => 2, _ => 4 };
        var random = new Random(colourType * 7 + (transparentPalette ? 1 : 0));
        using var idat = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionLevel.Fastest, leaveOpen: true))
        {
            for (int y = 0; y < height; y++)
            {
                zlib.WriteByte((byte)(y % 5));
                var row = new byte[width * channels];
                random.NextBytes(row);
                if (colourType == 3)
                {
                    for (int i = 0; i < row.Length; i++) { row[i] = (byte)(row[i] % 16); }
                }

                zlib.Write(row);
            }
        }

        using var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = colourType;
        TestImages.WritePngChunk(output, "IHDR", header);
        if (colourType == 3)
        {
            var palette = new byte[16 * 3];
            random.NextBytes(palette);
            TestImages.WritePngChunk(output, "PLTE", palette);
            if (transparentPalette)
            {
                TestImages.WritePngChunk(output, "tRNS", [0, 40, 128, 255, 200, 1, 77]);
            }
        }

        TestImages.WritePngChunk(output, "IDAT", idat.ToArray());
        TestImages.WritePngChunk(output, "IEND", []);
        return output.ToArray();
    }
}
