using System.Buffers.Binary;
using Workflows.Assets.Imaging;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>TIFFs we must not decode: bombs, damaged files and headers that lie about the data (libtiff through Magick.NET).</summary>
public sealed class TiffRejectionTests : IDisposable
{
    private const string Corrupt = "The image is truncated or corrupt";

    private readonly DecodeLimiter _limiter = new(1);

    public static TheoryData<string, string> BadTiffs => new()
    {
        { "truncated-lzw", Corrupt },
        { "truncated-uncompressed-big-endian", Corrupt },
        { "strip-offset-past-the-end", Corrupt },
        { "deflate-data-scribbled-over", Corrupt },
        { "jpeg-compression-tag-over-raw-strips", Corrupt },
        { "bigtiff-header-without-directory", Corrupt },
        { "cmyk-tag-over-rgb-strips", Corrupt },
    };

    [Theory]
    [MemberData(nameof(BadTiffs))]
    public async Task InspectThenRender_BadTiff_RejectedWithActionableReason(string kind, string reason)
    {
        // Arrange
        byte[] content = kind switch
        {
            "truncated-lzw" => TestImages.Truncated(TestImages.Tiff(300, 200, new TestTiff(TestTiffCompression.Lzw)), 0.9),
            "truncated-uncompressed-big-endian" => TestImages.Truncated(TestImages.Tiff(300, 200, new TestTiff(BigEndian: true))),
            "strip-offset-past-the-end" => WithFirstStripOffset(TestImages.Tiff(300, 200), uint.MaxValue - 10),
            "deflate-data-scribbled-over" => ScribbleOverData(TestImages.Tiff(300, 200, new TestTiff(TestTiffCompression.Deflate))),
            "jpeg-compression-tag-over-raw-strips" => TestImages.Tiff(300, 200, new TestTiff(TestTiffCompression.Jpeg)),
            "bigtiff-header-without-directory" => [(byte)'I', (byte)'I', 43, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            "cmyk-tag-over-rgb-strips" => WithTag(TestImages.Tiff(300, 200), 262, 5),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };

        // Act
        var ex = await Assert.ThrowsAsync<ImageRejectedException>(() => InspectThenRenderAsync(content));

        // Assert
        Assert.StartsWith(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_TiffBomb_RejectedFromHeaderWithoutDecoding()
    {
        // Arrange: a file of a few KB whose header declares 2.5 GP: inspection must judge it by its header, not decode it.
        byte[] bomb = TestImages.TiffBomb(50_000, 50_000);
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        // Act
        var ex = await Assert.ThrowsAsync<ImageRejectedException>(() => InspectAsync(bomb));

        // Assert
        Assert.True(bomb.Length < 16 * 1024, $"the bomb is {bomb.Length} bytes");
        Assert.Equal("The image is 50000 × 50000 (2.5 GP); the limit is 100 MP.", ex.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore < 4 << 20, "inspection allocated like a decode");
    }

    [Fact]
    public async Task Render_TiffClaimingMoreRowsThanItsStripHolds_RejectedAndWritesNothing()
    {
        // Arrange: a 1 MB LZW strip of zeros under a header that claims 4000 × 4000 (16 MB): within limits, but short.
        byte[] lying = TestImages.TiffBomb(4_000, 4_000);
        var renderer = new RenditionRenderer(_limiter, ImageLimits.Default);
        int writes = 0;
        using var timeout = new Deadline(TimeSpan.FromSeconds(30));

        // Act
        var ex = await Assert.ThrowsAsync<ImageRejectedException>(() => renderer.RenderAsync(
            new MemoryStream(lying), RenditionProfile.Default.Chains, (_, _, _) => Task.FromResult(++writes), timeout.Token));

        // Assert
        Assert.StartsWith(Corrupt, ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, writes);
        Assert.Equal(1, _limiter.AvailableSlots);
    }

    public void Dispose() => _limiter.Dispose();

    // The test writer puts IFD0 at offset 8 in little-endian order; patch one SHORT/LONG entry's inline value.
    private static byte[] WithTag(byte[] tiff, ushort tag, uint value)
    {
        int count = BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(8));
        for (int i = 0; i < count; i++)
        {
            Span<byte> entry = tiff.AsSpan(10 + 12 * i, 12);
            if (BinaryPrimitives.ReadUInt16LittleEndian(entry) == tag)
            {
                if (BinaryPrimitives.ReadUInt16LittleEndian(entry[2..]) == 3)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(entry[8..], (ushort)value);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], value);
                }

                return tiff;
            }
        }

        throw new InvalidOperationException($"tag {tag} not found");
    }

    private static byte[] WithFirstStripOffset(byte[] tiff, uint offset)
    {
        int count = BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(8));
        for (int i = 0; i < count; i++)
        {
            Span<byte> entry = tiff.AsSpan(10 + 12 * i, 12);
            if (BinaryPrimitives.ReadUInt16LittleEndian(entry) == 273)
            {
                int values = (int)BinaryPrimitives.ReadUInt32LittleEndian(entry[8..]);
                BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(values), offset);
                return tiff;
            }
        }

        throw new InvalidOperationException("no StripOffsets");
    }

    private static byte[] ScribbleOverData(byte[] tiff)
    {
        tiff.AsSpan(tiff.Length / 2).Fill(0xEE);
        return tiff;
    }

    // As the pipeline sees a file: inspection reads the header (a JPEG's only), the rendering reads and verifies all of it.
    private static async Task InspectThenRenderAsync(byte[] content)
    {
        using var timeout = new Deadline(TimeSpan.FromSeconds(10));
        await new ImageInspector(ImageLimits.Default).InspectAsync(InspectionExtent.View(content), timeout.Token);
        _ = await RenditionRendering.RenderAsync(content, TestChains.Widths(RenditionFormat.Jpeg, 80, 64));
    }

    private static async Task<ImageInspection> InspectAsync(byte[] content)
    {
        using var timeout = new Deadline(TimeSpan.FromSeconds(10));
        return await new ImageInspector(ImageLimits.Default).InspectAsync(new MemoryStream(content), timeout.Token);
    }
}
