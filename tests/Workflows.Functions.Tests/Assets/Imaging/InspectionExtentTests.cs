using System.Buffers.Binary;
using System.Runtime.InteropServices;
using SkiaSharp;
using Workflows.Assets.Imaging;
using Workflows.Tests.Reliability.Fuzzing;
using Workflows.Tests.TestSupport;
using Xunit.Abstractions;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>
/// What inspection reads of an original (<see cref="InspectionExtent"/>): a WebP's chunk headers and metadata around
/// its image data, and, whatever its header claims, a bounded number of reads and bytes.
/// </summary>
public sealed class InspectionExtentTests(ITestOutputHelper output) : IDisposable
{
    private static readonly DateTime TakenAt = new(2024, 5, 17, 14, 30, 5, DateTimeKind.Unspecified);

    private readonly InspectionCases _cases = new();

    public static TheoryData<string> StillWebps => ["lossy", "lossless", "no metadata", "300 KB EXIF", "unknown chunks"];

    [Theory]
    [MemberData(nameof(StillWebps))]
    public async Task Inspect_WebpWithMetadataAfterItsImageData_ReadsHeadersAndMetadataOnlyAndFindsWhatTheWholeFileShows(string kind)
    {
        // Arrange
        byte[] webp = StillWebp(kind);
        Assert.True(webp.Length > 4 * InspectionExtent.FirstRead, $"{kind}: {webp.Length} bytes");

        // Act
        OriginalParts read = InspectionExtent.Read(webp);
        ImageInspection sparse = await InspectionCases.InspectAsync(InspectionExtent.Open(read));
        ImageInspection whole = await InspectionCases.InspectAsync(new MemoryStream(webp));

        // Assert
        output.WriteLine($"{kind}: {webp.Length} bytes; inspection reads {read.BytesRead} in {read.Reads} ranged reads");
        Assert.Equal(whole, sparse);
        Assert.InRange(read.Reads, 1, 3);
        Assert.True(read.BytesRead < 2 * InspectionExtent.FirstRead + 320_000, $"{read.BytesRead} bytes read");
        if (kind != "no metadata")
        {
            Assert.Equal((6, "Contoso", TakenAt), (whole.Orientation, whole.Metadata.CameraMake, whole.Metadata.TakenAt));
        }
    }

    private const string Corrupt = "The image is truncated or corrupt.";

    // Pixels whole but the file not (RIFF size, cut in its EXIF): WebpStructure at rendering; the codec at inspection
    // when it sees a chunk beyond the end itself.
    public static TheoryData<string, string> LyingWebps => new()
    {
        { "EXIF size beyond the end", $"rejected (at inspection): {Corrupt}" },
        { "image size beyond the end", $"rejected (at inspection): {Corrupt}" },
        { "RIFF size beyond the end", $"rejected (at rendering): {Corrupt}" }, { "cut in its EXIF", $"rejected (at rendering): {Corrupt}" },
        { "20,000 chunks", "rendered" }, { "40 chunks of 70 KB", "rendered" }, { "6 MB XMP", "rendered" }, { "1,000 frames", "rendered" },
    };

    [Theory]
    [MemberData(nameof(LyingWebps))]
    public async Task Inspect_WebpWhoseHeaderLies_BoundedReadsThenRenderedOrRejectedWithAReason(string kind, string expected)
    {
        // Arrange
        byte[] webp = LyingWebp(kind);

        // Act: at most the ranged reads and the rest of the file (the codec then judges it whole, as before).
        OriginalParts read = InspectionCases.ReadBounded(webp, WebpExtent.MaxReads);
        string outcome = await _cases.InspectAndRenderAsync(InspectionExtent.Open(read), webp);

        // Assert
        output.WriteLine($"{kind}: {webp.Length} bytes; inspection reads {read.BytesRead} in {read.Reads} reads; {outcome}");
        Assert.StartsWith(expected, outcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_MutatedWebpsWithMetadata_BoundedReadsThenRenderedOrRejectedWithAReason()
    {
        // Arrange: the fuzz corpus's WebP (metadata after the image data).
        byte[] seed = ImageSeeds.Originals().Single(s => s.Format == "webp").Content;

        // Act and assert: damaged 200 ways.
        output.WriteLine(await _cases.MutationsAsync("webp", seed, WebpExtent.MaxReads));
    }

    // Inspection gives the codec a WebP at its full length, zeros where the image data was not read: those zeros must
    // cost no memory (~3 MB of a 12 MP WebP), neither as the codec's native block nor as MetadataExtractor's copy of
    // the image chunk (it reads a VP8 chunk whole for its width and height).
    // An animated WebP is read whole (its frames are ANMF chunks, image data too): the metadata reader, which skips
    // every ANMF chunk, must not be handed a managed copy of them (up to the upload limit: 50 MB).
    [Fact]
    public async Task Inspect_AnimatedWebp_MetadataReaderGetsNoCopyOfItsFrames()
    {
        // Arrange
        byte[] webp = ImageSeeds.AnimatedWebp(5000);
        var inspector = new ImageInspector(ImageLimits.Default);
        await inspector.InspectAsync(new MemoryStream(webp), CancellationToken.None); // first use: caches, JIT

        // Act: in memory, the whole inspection runs on this thread.
        long before = GC.GetAllocatedBytesForCurrentThread();
        Task<ImageInspection> inspecting = inspector.InspectAsync(new MemoryStream(webp), CancellationToken.None);
        long managed = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert
        output.WriteLine($"animated WebP of {webp.Length} bytes: {managed} bytes allocated inspecting it");
        Assert.True(inspecting.IsCompletedSuccessfully);
        Assert.Equal((24, 16), ((await inspecting).UprightWidth, (await inspecting).UprightHeight));
        Assert.True(managed < webp.Length / 8, $"{managed} bytes allocated inspecting a {webp.Length}-byte animated WebP");
    }

    [Fact]
    public async Task Inspect_12MpWebp_HoldsWhatItReadNotAZeroFilledCopyOfTheImageData()
    {
        // Arrange
        byte[] webp = TestImages.PhotoWebp(4000, 3000, TestExif.PhonePortrait, TestImages.Xmp("Contoso", "Lens 12", TakenAt));
        OriginalParts read = InspectionExtent.Read(webp);
        var inspector = new ImageInspector(ImageLimits.Default);
        await inspector.InspectAsync(InspectionExtent.Open(read), CancellationToken.None); // first use: caches, JIT

        // Act: in memory, the whole inspection runs on this thread.
        long before = GC.GetAllocatedBytesForCurrentThread();
        Task<ImageInspection> inspecting = inspector.InspectAsync(InspectionExtent.Open(read), CancellationToken.None);
        long managed = GC.GetAllocatedBytesForCurrentThread() - before;
        using SKData buffer = await EncodedBytes.ReadAsync(InspectionExtent.Open(read), hash: null, CancellationToken.None);
        using (ImageDecoder.Open(buffer, ImageLimits.Default))
        {
            // the codec reads what it reads of the block
        }

        long resident = NativeMethods.ResidentBytes(buffer.Data, buffer.Size);

        // Assert
        output.WriteLine($"{webp.Length} bytes, {read.BytesRead} read: {managed} bytes allocated, block of {buffer.Size} bytes " +
            $"of which {resident} resident");
        Assert.True(inspecting.IsCompletedSuccessfully);
        ImageInspection inspection = await inspecting;
        Assert.Equal((6, "Contoso", TakenAt), (inspection.Orientation, inspection.Metadata.CameraMake, inspection.Metadata.TakenAt));
        Assert.Equal(webp.Length, buffer.Size);
        Assert.True(managed < webp.Length / 8, $"{managed} bytes allocated inspecting a {webp.Length}-byte WebP");
        Assert.True(resident < webp.Length / 8, $"{resident} bytes of the codec's {buffer.Size}-byte block resident");
    }

    [Fact]
    public void Read_JpegOfManyHeaderSegments_PrefixDoubledThenWholeBeyondTheHeaderLimit()
    {
        // Arrange: 80 APP1 segments of 64 KB (5 MB) before the frame header.
        byte[] jpeg = TestImages.PhotoJpeg(320, 240);
        byte[] segment = [0xFF, 0xE1, 0xFF, 0xFF, .. new byte[65_533]];
        byte[] padded = [.. jpeg.AsSpan(0, 2), .. Enumerable.Repeat(segment, 80).SelectMany(s => s), .. jpeg.AsSpan(2)];

        // Act
        OriginalParts plain = InspectionExtent.Read(jpeg);
        OriginalParts long_ = InspectionExtent.Read(padded);

        // Assert
        Assert.Equal((1, (long)jpeg.Length), (plain.Reads, plain.BytesRead)); // under 64 KB: the first read is all of it
        Assert.Equal(padded.Length, long_.PrefixEnd);
        Assert.InRange(long_.Reads, 2, 8);
    }

    public void Dispose() => _cases.Dispose();

    private static byte[] StillWebp(string kind)
    {
        string xmp = TestImages.Xmp("Contoso", "Lens 12", TakenAt);
        var exif = TestExif.PhonePortrait with { Make = null, Model = null };
        return kind switch
        {
            "lossy" => TestImages.PhotoWebp(1280, 960, exif, xmp),
            "lossless" => TestImages.WebpWithMetadata(Lossless(480, 360), exif, xmp),
            "no metadata" => WithoutTail(TestImages.PhotoWebp(1280, 960, exif)),
            "300 KB EXIF" => TestImages.WebpWithMetadata(Lossless(480, 360), exif, xmp, ("JUNK", new byte[300_000])),
            "unknown chunks" => TestImages.WebpWithMetadata(
                Lossless(480, 360), exif, xmp, [.. Enumerable.Range(0, 20).Select(i => ("JUNK", new byte[i * 7]))]),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    // The VP8X, EXIF and XMP chunks removed again: a simple WebP of one VP8 chunk.
    private static byte[] WithoutTail(byte[] extended)
    {
        int vp8 = 12 + 8 + 10;
        int size = BinaryPrimitives.ReadInt32LittleEndian(extended.AsSpan(vp8 + 4));
        byte[] simple = [.. "RIFF"u8, 0, 0, 0, 0, .. "WEBP"u8, .. extended.AsSpan(vp8, 8 + size + (size & 1))];
        BinaryPrimitives.WriteInt32LittleEndian(simple.AsSpan(4), simple.Length - 8);
        return simple;
    }

    private static byte[] Lossless(int width, int height)
    {
        using SKBitmap photo = TestImages.Photo(width, height, 7);
        using SKData? data = photo.PeekPixels().Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 75));
        return data?.ToArray() ?? throw new InvalidOperationException("Skia cannot encode lossless WebP.");
    }

    private static byte[] LyingWebp(string kind)
    {
        byte[] webp = TestImages.PhotoWebp(1280, 960, TestExif.PhonePortrait, TestImages.Xmp("Contoso", "Lens 12", TakenAt));
        int image = 12 + 8 + 10; // after RIFF and VP8X
        int exif = image + 8 + BinaryPrimitives.ReadInt32LittleEndian(webp.AsSpan(image + 4));
        exif += exif & 1;
        switch (kind)
        {
            case "EXIF size beyond the end":
                BinaryPrimitives.WriteInt32LittleEndian(webp.AsSpan(exif + 4), int.MaxValue - 1);
                return webp;
            case "image size beyond the end":
                BinaryPrimitives.WriteInt32LittleEndian(webp.AsSpan(image + 4), int.MaxValue - 1);
                return webp;
            case "RIFF size beyond the end":
                BinaryPrimitives.WriteInt32LittleEndian(webp.AsSpan(4), int.MaxValue - 1);
                return webp;
            case "cut in its EXIF":
                return webp[..(exif + 20)];
            case "20,000 chunks":
                return WithChunks(webp, Enumerable.Repeat(new byte[2], 20_000));
            case "40 chunks of 70 KB":
                return WithChunks(webp, Enumerable.Repeat(new byte[70_000], 40));
            case "6 MB XMP":
                return WithChunks(webp, [new byte[6 << 20]], "XMP ");
            case "1,000 frames":
                return ImageSeeds.AnimatedWebp(1000);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private static byte[] WithChunks(byte[] webp, IEnumerable<byte[]> payloads, string type = "JUNK")
    {
        using var file = new MemoryStream();
        file.Write(webp);
        foreach (byte[] payload in payloads)
        {
            TestImages.WebpChunk(file, type, payload);
        }

        byte[] bytes = file.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), bytes.Length - 8);
        return bytes;
    }

    private static class NativeMethods
    {
        /// <summary>How many bytes of [<paramref name="address"/>, + <paramref name="length"/>) are in memory (Linux mincore).</summary>
        public static long ResidentBytes(IntPtr address, long length)
        {
            long page = Environment.SystemPageSize;
            long start = address.ToInt64() / page * page;
            long pages = (address.ToInt64() + length - start + page - 1) / page;
            var vector = new byte[pages];
            Assert.Equal(0, mincore(new IntPtr(start), (nuint)(pages * page), vector));
            return vector.Count(v => (v & 1) != 0) * page;
        }

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern int mincore(IntPtr address, nuint length, [Out] byte[] vector);
    }
}
