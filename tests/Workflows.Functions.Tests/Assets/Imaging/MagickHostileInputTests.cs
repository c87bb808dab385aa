using System.Buffers.Binary;
using SkiaSharp;
using Workflows.Assets.Imaging;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>
/// The hostile inputs of the Skia formats, for every format Magick.NET decodes: cut short, bit-flipped, headers
/// only, headers that lie, sizes far over the limits. Each may fail the asset with a reason, never anything else.
/// </summary>
public sealed class MagickHostileInputTests : IDisposable
{
    private const string Corrupt = "The image is truncated or corrupt";

    private readonly DecodeLimiter _limiter = new(1);

    public static TheoryData<string> Formats => [.. Originals.Keys];

    private static Dictionary<string, Func<byte[]>> Originals { get; } = new()
    {
        ["heic"] = () => TestFiles.Read(TestFiles.PhonePortraitHeic),
        ["avif"] = () => TestImages.Avif(160, 120),
        ["jpeg-xl"] = () => TestImages.JpegXl(160, 120, TestExif.PhonePortrait),
        ["psd"] = () => TestImages.Psd(160, 120, TestExif.PhonePortrait),
        ["dng"] = () => TestImages.Dng(160, 120, TestExif.PhonePortrait),
        ["cmyk-jpeg-tiff"] = () => TestImages.CmykJpegTiff(160, 120, "Heidelberg", "Linoscan 1400", DateTime.UnixEpoch),
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task InspectThenRender_FileCutShort_Rejected(string format)
    {
        // Arrange
        byte[] original = Originals[format]();

        // Act + Assert: from just past the signature to most of the file.
        foreach (double keep in new[] { 0.05, 0.3, 0.6, 0.9 })
        {
            var ex = await Assert.ThrowsAsync<ImageRejectedException>(() => InspectThenRenderAsync(TestImages.Truncated(original, keep)));
            Assert.StartsWith(Corrupt, ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task InspectAndRender_RandomlyDamagedFile_DecodesOrRejectsNeverCrashes(string format)
    {
        // Arrange
        byte[] original = Originals[format]();
        var random = new Random(format.Length * 7919);
        int rejected = 0;

        // Act: a few bytes flipped anywhere after the signature, 60 times.
        for (int attempt = 0; attempt < 60; attempt++)
        {
            byte[] damaged = (byte[])original.Clone();
            for (int i = random.Next(1, 4); i > 0; i--)
            {
                damaged[random.Next(12, damaged.Length)] ^= (byte)random.Next(1, 256);
            }

            try
            {
                await InspectAsync(damaged);
                await RenditionRendering.RenderAsync(damaged, TestChains.Widths(RenditionFormat.Jpeg, 80, 64), _limiter);
            }
            catch (ImageRejectedException)
            {
                rejected++;
            }
        }

        // Assert: reaching here means nothing but rejections escaped, and the decode slot was always given back.
        Assert.InRange(rejected, 0, 60);
        Assert.Equal(1, _limiter.AvailableSlots);
    }

    public static TheoryData<string> Bombs => ["psd", "heic", "dng", "tiff"];

    [Theory]
    [MemberData(nameof(Bombs))]
    public async Task Inspect_HeaderDeclaringHugeSize_RejectedFromHeaderWithoutDecoding(string format)
    {
        // Arrange: a small real file whose header claims 30,000 × 30,000 (PSD's own maximum), judged by its header.
        byte[] bomb = Declaring(format, 30_000);

        // Act
        var ex = await Assert.ThrowsAsync<ImageRejectedException>(() => InspectAsync(bomb));

        // Assert
        Assert.Equal("The image is 30000 × 30000 (900 MP); the limit is 100 MP.", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Bombs))]
    public async Task Render_HeaderClaimingMoreThanTheDataHolds_RejectedAndWritesNothing(string format)
    {
        // Arrange: within the limits (3000 × 3000), but the data is that of a small image.
        byte[] lying = Declaring(format, 3000);

        // Act
        var ex = await Assert.ThrowsAsync<ImageRejectedException>(() => RenditionRendering.RenderAsync(lying, TestChains.Widths(RenditionFormat.Jpeg, 80, 64), _limiter));

        // Assert
        Assert.StartsWith(Corrupt, ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, _limiter.AvailableSlots);
    }

    [Fact]
    public async Task Inspect_RawWhoseDefaultScaleDevelopsItPastTheLimit_RejectedFromHeaderWithoutDecoding()
    {
        // Arrange: a 2000 × 1000 DNG (2 MP) whose DefaultScale has libraw develop it 8 times as wide, 16000 × 1000
        // (16 MP: libraw would allocate it, 8 bytes a pixel, before ImageMagick's limits see a pixel), against 10 MP.
        byte[] stretched = TestImages.Dng(2000, 1000, TestExif.PhonePortrait, horizontal: 8, vertical: 1);
        using var timeout = new Deadline(TimeSpan.FromSeconds(60));

        // Act
        var ex = await Assert.ThrowsAsync<ImageRejectedException>(() =>
            new ImageInspector(new ImageLimits(MaxPixels: 10_000_000)).InspectAsync(new MemoryStream(stretched), timeout.Token));

        // Assert
        Assert.Equal("The image is 16000 × 1000 (16 MP); the limit is 10 MP.", ex.Message);
    }

    [Fact]
    public async Task Render_RawDevelopedLargerThanItsHeaderSays_RejectedWithTheDevelopedSize()
    {
        // Arrange: a 1200 × 1000 DNG (1.2 MP) whose DefaultScale has libraw develop it twice as wide, 2400 × 1000
        // (2.4 MP), against a limit of 2 MP.
        byte[] stretched = TestImages.Dng(1200, 1000, TestExif.PhonePortrait, horizontal: 2, vertical: 1);
        var renderer = new RenditionRenderer(_limiter, new ImageLimits(MaxPixels: 2_000_000));
        using var timeout = new Deadline(TimeSpan.FromSeconds(60));
        int written = 0;

        // Act
        var ex = await Assert.ThrowsAsync<ImageRejectedException>(() => renderer.RenderAsync(
            new MemoryStream(stretched), [TestChains.Widths(RenditionFormat.Jpeg, 80, 64)], (_, _, _) =>
            {
                written++;
                return Task.CompletedTask;
            },
            timeout.Token));

        // Assert
        Assert.Equal("The image is 2400 × 1000 (2.4 MP); the limit is 2 MP.", ex.Message);
        Assert.Equal(0, written);
        Assert.Equal(1, _limiter.AvailableSlots);
    }

    [Fact]
    public async Task Inspect_RawWhoseDefaultScaleCountSaysOne_StillRejectedFromHeader()
    {
        // Arrange: the 8 : 1 DefaultScale above, its entry saying it holds one value; libraw reads two from where the
        // entry's data lies whatever its count says, and develops it 16000 × 1000 all the same.
        byte[] stretched = TestImages.Dng(2000, 1000, TestExif.PhonePortrait, horizontal: 8, vertical: 1, count: 1);
        using var timeout = new Deadline(TimeSpan.FromSeconds(60));

        // Act
        var ex = await Assert.ThrowsAsync<ImageRejectedException>(() =>
            new ImageInspector(new ImageLimits(MaxPixels: 10_000_000)).InspectAsync(new MemoryStream(stretched), timeout.Token));

        // Assert
        Assert.Equal("The image is 16000 × 1000 (16 MP); the limit is 10 MP.", ex.Message);
    }

    [Fact]
    public async Task Render_RawWhoseDefaultScaleCountSaysOne_DevelopedStretchedAndRejected()
    {
        // Arrange: the 2 : 1 DefaultScale of the render test above, its entry's count 1 (libraw still stretches it).
        byte[] stretched = TestImages.Dng(1200, 1000, TestExif.PhonePortrait, horizontal: 2, vertical: 1, count: 1);
        var renderer = new RenditionRenderer(_limiter, new ImageLimits(MaxPixels: 2_000_000));
        using var timeout = new Deadline(TimeSpan.FromSeconds(60));

        // Act
        var ex = await Assert.ThrowsAsync<ImageRejectedException>(() => renderer.RenderAsync(
            new MemoryStream(stretched), [TestChains.Widths(RenditionFormat.Jpeg, 80, 64)], (_, _, _) => Task.CompletedTask,
            timeout.Token));

        // Assert: the size libraw develops it at, whether caught from its header or after the read.
        Assert.Equal("The image is 2400 × 1000 (2.4 MP); the limit is 2 MP.", ex.Message);
    }

    public void Dispose() => _limiter.Dispose();

    // A small real file whose header is rewritten to declare size × size.
    internal static byte[] Declaring(string format, int size)
    {
        byte[] heic = TestFiles.Read(TestFiles.PhonePortraitHeic);
        return format switch
        {
            "psd" => Patched(TestImages.Psd(160, 120), at: 14, size, size),
            "heic" => Patched(heic, at: heic.AsSpan().IndexOf("ispe"u8) + 8, size, size),
            "dng" => TiffSize(TestImages.Dng(160, 120, TestExif.PhonePortrait), size, size),
            _ => TiffSize(TestImages.Tiff(160, 120), size, size),
        };
    }

    // Two big-endian 32-bit values at an offset: PSD height then width; HEIC ispe width then height.
    private static byte[] Patched(byte[] file, int at, int first, int second)
    {
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(at), first);
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(at + 4), second);
        return file;
    }

    // The test writers put IFD0 at 8, little-endian, with width and height as LONGs.
    private static byte[] TiffSize(byte[] tiff, int width, int height)
    {
        int count = BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(8));
        for (int i = 0; i < count; i++)
        {
            Span<byte> entry = tiff.AsSpan(10 + 12 * i, 12);
            ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(entry);
            if (tag is 256 or 257)
            {
                BinaryPrimitives.WriteInt32LittleEndian(entry[8..], tag == 256 ? width : height);
            }
        }

        return tiff;
    }

    // As the pipeline sees a file: inspection reads the header, the rendering reads and verifies all of it.
    private async Task InspectThenRenderAsync(byte[] content)
    {
        using var timeout = new Deadline(TimeSpan.FromSeconds(10));
        await new ImageInspector(ImageLimits.Default).InspectAsync(InspectionExtent.View(content), timeout.Token);
        _ = await RenditionRendering.RenderAsync(content, TestChains.Widths(RenditionFormat.Jpeg, 80, 64), _limiter);
    }

    private static async Task<ImageInspection> InspectAsync(byte[] content)
    {
        using var timeout = new Deadline(TimeSpan.FromSeconds(60));
        return await new ImageInspector(ImageLimits.Default).InspectAsync(new MemoryStream(content), timeout.Token);
    }
}
