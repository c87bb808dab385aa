using System.Buffers.Binary;
using Workflows.Assets.Imaging;
using Workflows.Tests.TestSupport;
using Xunit.Abstractions;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>
/// What inspection reads of a PNG (<see cref="PngExtent"/>): every chunk but the image data, the ones after IDAT from
/// the end of the file, and, whatever its chunks claim, a bounded number of reads and bytes.
/// </summary>
public sealed class InspectionExtentPngTests(ITestOutputHelper output) : IDisposable
{
    private static readonly DateTime TakenAt = new(2024, 5, 17, 14, 30, 5, DateTimeKind.Unspecified);

    private readonly InspectionCases _cases = new();

    public static TheoryData<string> Pngs =>
        ["XMP (iTXt) after IDAT", "XMP (iTXt) and eXIf after IDAT", "eXIf and XMP before IDAT", "no metadata",
         "one IDAT", "IDAT chunks of 100 KB", "300 KB of text after IDAT", "many text chunks after IDAT"];

    [Theory]
    [MemberData(nameof(Pngs))]
    public async Task Inspect_PngWithMetadataAroundItsImageData_ReadsEveryChunkButTheImageDataAndFindsWhatTheWholeFileShows(string kind)
    {
        // Arrange
        byte[] png = Png(kind);
        Assert.True(png.Length > 8 * InspectionExtent.FirstRead, $"{kind}: {png.Length} bytes");

        // Act
        OriginalParts read = InspectionExtent.Read(png);
        ImageInspection compact = await InspectionCases.InspectAsync(InspectionExtent.Open(read));
        ImageInspection whole = await InspectionCases.InspectAsync(new MemoryStream(png));

        // Assert
        output.WriteLine($"{kind}: {png.Length} bytes; inspection reads {read.BytesRead} in {read.Reads} ranged reads");
        Assert.Equal(whole, compact);
        Assert.Equal("rendered", await _cases.InspectAndRenderAsync(InspectionExtent.Open(read), png));
        Assert.InRange(read.Reads, 1, 4);
        Assert.True(read.BytesRead < (5 * InspectionExtent.FirstRead) + 1_300_000, $"{read.BytesRead} bytes read");
        if (kind != "no metadata")
        {
            Assert.Equal(("Contoso", TakenAt), (whole.Metadata.CameraMake, whole.Metadata.TakenAt));
        }
    }

    private const string Corrupt = "rejected (at rendering): The image is truncated or corrupt.";

    public static TheoryData<string, string> LyingPngs => new()
    {
        { "IDAT size beyond the end", Corrupt }, { "iTXt size beyond the end", Corrupt }, { "cut in its iTXt", Corrupt },
        { "cut in its IDAT", Corrupt }, { "bytes after IEND", "rendered" }, { "20,000 chunks before IDAT", "rendered" },
        { "20,000 chunks after IDAT", "rendered" }, { "6 MB iTXt before IDAT", "rendered" }, { "6 MB iTXt after IDAT", "rendered" },
        { "2 MB of IDAT look-alikes after IDAT", "rendered" },
    };

    [Theory]
    [MemberData(nameof(LyingPngs))]
    public async Task Inspect_PngWhoseChunksLie_BoundedReadsThenRenderedOrRejectedWithAReason(string kind, string expected)
    {
        // Arrange
        byte[] png = LyingPng(kind);

        // Act: at most the ranged reads and the rest of the file (the codec then judges it whole, as before).
        OriginalParts read = InspectionCases.ReadBounded(png, PngExtent.MaxReads);
        string outcome = await _cases.InspectAndRenderAsync(InspectionExtent.Open(read), png);

        // Assert
        output.WriteLine($"{kind}: {png.Length} bytes; inspection reads {read.BytesRead} in {read.Reads} reads; {outcome}");
        Assert.StartsWith(expected, outcome, StringComparison.Ordinal);
    }

    public static TheoryData<string> ForgedTails => ["right after IEND", "after IEND and 5 MB of zeros"];

    // What follows a PNG's IEND is not part of it: Skia, MetadataExtractor and the rendering's chunk walk stop at the
    // first IEND. Bytes after it that read as a last IDAT chunk, an eXIf naming another camera, time and place, and an
    // IEND, every CRC right, are what the end search finds; no asset may become Ready with that as its metadata.
    [Theory]
    [MemberData(nameof(ForgedTails))]
    public async Task Inspect_PngFollowedByAForgedChunkChain_SeesTheFileOrIsRejectedAtRendering(string kind)
    {
        // Arrange
        byte[] png = Png("XMP (iTXt) and eXIf after IDAT");
        byte[] forged = TestImages.PngChunks(
            ("IDAT", [1, 2, 3]),
            ("eXIf", TestImagesExif.Tiff(new TestExif(8, "Mallory", "Forged", new DateTime(1999, 1, 1), 10.5, 20.5))),
            ("IEND", []));
        byte[] file = kind == "right after IEND" ? [.. png, .. forged] : [.. png, .. new byte[5 << 20], .. forged];

        // Act
        OriginalParts read = InspectionExtent.Read(file);
        ImageInspection compact = await InspectionCases.InspectAsync(InspectionExtent.Open(read));
        ImageInspection whole = await InspectionCases.InspectAsync(new MemoryStream(file));
        string outcome = await _cases.InspectAndRenderAsync(InspectionExtent.Open(read), file);

        // Assert
        output.WriteLine($"{kind}: {file.Length} bytes; inspection reads {read.BytesRead} in {read.Reads} reads; " +
            $"inspection {compact.Metadata}, whole file {whole.Metadata}; {outcome}");
        Assert.Equal(("Contoso", TakenAt), (whole.Metadata.CameraMake, whole.Metadata.TakenAt));
        Assert.True(compact == whole || outcome.StartsWith("rejected (at rendering)", StringComparison.Ordinal),
            $"inspection recorded {compact.Metadata} of a file that holds {whole.Metadata}, and the asset {outcome}");
    }

    // MetadataExtractor allocates the length a PNG chunk claims before reading it: a claim past the largest array
    // throws OutOfMemoryException at once (caught: no metadata), but one just under it (2 GB) is allocated, zeroed,
    // for a file of 2.5 MB. Such a file is read whole by inspection (its chunk runs past the end).
    [Fact]
    public async Task Inspect_PngChunkClaimingNearly2GB_NoMetadataWithoutAllocatingTheClaim()
    {
        // Arrange
        byte[] png = Png("XMP (iTXt) and eXIf after IDAT");
        int text = png.AsSpan().LastIndexOf("iTXt"u8) - 4;
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(text), 0x7FF0_0000);

        // Act
        long before = GC.GetTotalAllocatedBytes(precise: true);
        ImageInspection inspection = await InspectionCases.InspectAsync(InspectionExtent.View(png));
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        // Assert
        output.WriteLine($"{png.Length} bytes, a chunk claiming {0x7FF0_0000} bytes: {allocated / (1 << 20)} MB allocated (the whole process)");
        Assert.Equal(new PhotoMetadata(null, null, null, null, null), inspection.Metadata);
        Assert.True(allocated < 1L << 30, $"{allocated} bytes allocated while inspecting a {png.Length}-byte file");
    }

    // The end search follows chunk lengths from each IDAT it finds in the end read, remembering every chunk on the way.
    // A look-alike in the image data before the last IDAT whose length leads through 61 chunk-like bytes into the file's
    // own 201 chunks after the image data walks more than MaxChunks chunks: too many from there, but not from the
    // file's own chain, which must then be found in the same end read (it was not: 4 reads, 600 KB).
    [Fact]
    public void Read_PngWithAnIdatLookAlikeLeadingIntoItsTextChunks_FindsTheChunksAfterTheImageDataInOneEndRead()
    {
        // Arrange
        var random = new Random(5);
        byte[] Noise(int n) => [.. Enumerable.Range(0, n).Select(_ => (byte)random.Next(0x40))]; // no letters: no "IDAT"
        byte[] lastImageData = Noise(100);
        byte[] chunkLike = [.. Enumerable.Repeat<byte[]>([0, 0, 0, 0, .. "zzzz"u8, 0, 0, 0, 0], 60).SelectMany(c => c)];
        byte[] spanning = [0, 0, 0, (byte)(lastImageData.Length + 12), .. "zzzz"u8]; // over this chunk's CRC and the last IDAT
        byte[] lookAlike = [0, 0, 0, 32, .. "IDAT"u8, .. Noise(36), .. chunkLike, .. spanning];
        byte[] header = [0, 0, 0x03, 0x20, 0, 0, 0x02, 0x58, 8, 2, 0, 0, 0];
        byte[] png = [0x89, .. "PNG"u8, 0x0D, 0x0A, 0x1A, 0x0A, .. TestImages.PngChunks(
            [("IHDR", header), ("IDAT", Noise(1 << 20)), ("IDAT", Noise(1 << 19)), ("IDAT", [.. Noise(16), .. lookAlike]), ("IDAT", lastImageData),
             .. Enumerable.Range(0, 200).Select(i => ("tEXt", (byte[])[.. "Comment"u8, 0, .. Noise(i)])), ("IEND", [])])];

        // Act
        OriginalParts read = InspectionExtent.Read(png);

        // Assert: the first read, then the file's last 64 KB.
        output.WriteLine($"{png.Length} bytes; inspection reads {read.BytesRead} in {read.Reads} reads");
        Assert.Equal((2, 2L * InspectionExtent.FirstRead), (read.Reads, read.BytesRead));
    }

    [Fact]
    public async Task Inspect_MutatedPngsWithMetadataAfterTheImageData_BoundedReadsThenRenderedOrRejectedWithAReason()
    {
        // Arrange: a PNG of many IDAT chunks with XMP and EXIF after them.
        byte[] seed = Png("XMP (iTXt) and eXIf after IDAT", 320, 240, imageDataChunk: 4096);

        // Act and assert: damaged 200 ways.
        output.WriteLine(await _cases.MutationsAsync("png", seed, PngExtent.MaxReads));
    }

    public void Dispose() => _cases.Dispose();

    /// <summary>A photo-like PNG (Skia's encoder: 8 KB IDAT chunks) rebuilt with the chunks <paramref name="kind"/> names.</summary>
    internal static byte[] Png(string kind, int width = 1200, int height = 900, int imageDataChunk = 8192)
    {
        byte[] png = TestImages.PhotoPng(width, height, 7);
        var xmp = TestImages.PngXmpChunk(TestImages.Xmp("Contoso", "Lens 12", TakenAt));
        (string, byte[]) exif = ("eXIf", TestImagesExif.Tiff(new TestExif(6, TakenAt: TakenAt)));
        (string, byte[]) text = ("tEXt", [.. "Comment"u8, 0, .. new byte[300_000]]);
        return kind switch
        {
            "XMP (iTXt) after IDAT" => TestImages.PngWithChunks(png, [], [xmp], imageDataChunk),
            "XMP (iTXt) and eXIf after IDAT" => TestImages.PngWithChunks(png, [], [xmp, exif], imageDataChunk),
            "eXIf and XMP before IDAT" => TestImages.PngWithChunks(png, [exif, xmp], [], imageDataChunk),
            "no metadata" => TestImages.PngWithChunks(png, [], [], imageDataChunk),
            "one IDAT" => TestImages.PngWithChunks(png, [], [xmp, exif], int.MaxValue),
            "IDAT chunks of 100 KB" => TestImages.PngWithChunks(png, [], [xmp, exif], 100_000),
            "300 KB of text after IDAT" => TestImages.PngWithChunks(png, [], [xmp, text, exif], imageDataChunk),
            "many text chunks after IDAT" => TestImages.PngWithChunks(png, [], [xmp, .. Enumerable.Range(0, 200).Select(i => ("tEXt", new byte[i])), exif], imageDataChunk),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    private static byte[] LyingPng(string kind)
    {
        byte[] png = Png("XMP (iTXt) and eXIf after IDAT");
        int firstIdat = png.AsSpan().IndexOf("IDAT"u8) - 4;
        int text = png.AsSpan().LastIndexOf("iTXt"u8) - 4;
        var xmp = TestImages.PngXmpChunk(new string(' ', 6 << 20));
        switch (kind)
        {
            case "IDAT size beyond the end":
                BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(firstIdat), int.MaxValue - 1);
                return png;
            case "iTXt size beyond the end":
                BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(text), int.MaxValue - 1);
                return png;
            case "cut in its iTXt":
                return png[..(text + 40)];
            case "cut in its IDAT":
                return png[..(text - 100)];
            case "bytes after IEND":
                return [.. png, .. new byte[100]];
            case "20,000 chunks before IDAT":
                return TestImages.PngWithChunks(png, [.. Enumerable.Repeat(("tEXt", new byte[2]), 20_000)], [], 8192);
            case "20,000 chunks after IDAT":
                return TestImages.PngWithChunks(png, [], [.. Enumerable.Repeat(("tEXt", new byte[2]), 20_000)], 8192);
            case "6 MB iTXt before IDAT":
                return TestImages.PngWithChunks(png, [xmp], [], 8192);
            case "6 MB iTXt after IDAT":
                return TestImages.PngWithChunks(png, [], [xmp], 8192);
            case "2 MB of IDAT look-alikes after IDAT":
                return TestImages.PngWithChunks(png, [], [("tEXt", LookAlikes(2 << 20))], 8192);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    // Text whose every 8 bytes read as an IDAT chunk header whose data runs to the end of the text (where IEND follows
    // the text chunk's CRC): each a candidate last IDAT, nested, each as long as the rest of the text.
    private static byte[] LookAlikes(int bytes)
    {
        var text = new byte[bytes];
        for (int at = 0; at + 8 <= bytes; at += 8)
        {
            BinaryPrimitives.WriteInt32BigEndian(text.AsSpan(at), bytes - at - 8);
            "IDAT"u8.CopyTo(text.AsSpan(at + 4));
        }

        return text;
    }
}
