using System.Buffers.Binary;
using Workflows.Assets.Imaging.Skia;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>The rendering's WebP structure check (<see cref="WebpStructure"/>): the RIFF chunk whole, its chunks filling it.</summary>
public sealed class WebpStructureTests
{
    private static readonly byte[] Webp = TestImages.PhotoWebp(160, 120, TestExif.PhonePortrait, TestImages.Xmp("Contoso", "Lens 12", new DateTime(2024, 5, 17)));

    public static TheoryData<string, bool> Files => new()
    {
        { "as written", true },
        { "bytes after the RIFF chunk", true },
        { "RIFF size one more than the file holds", false },
        { "RIFF size 4 GB", false },
        { "last chunk's size 4 GB", false },
        { "cut inside the last chunk's header", false },
        { "last chunk without its pad byte", false },
        { "RIFF size ending inside a chunk", false },
        { "RIFF header only", false },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void IsComplete_RiffChunkAndChunkSizes_TrueOnlyWhenEveryChunkIsInTheFile(string kind, bool complete)
    {
        // Arrange
        byte[] file = kind switch
        {
            "as written" => Webp,
            "bytes after the RIFF chunk" => [.. Webp, .. "JUNKJUNKJUNK"u8],
            "RIFF size one more than the file holds" => WithUInt32(Webp, 4, (uint)Webp.Length - 7),
            "RIFF size 4 GB" => WithUInt32(Webp, 4, uint.MaxValue),
            "last chunk's size 4 GB" => WithUInt32(Webp, LastChunk(Webp) + 4, uint.MaxValue - 1),
            "cut inside the last chunk's header" => WithRiffSizeOfFile(Webp[..(LastChunk(Webp) + 6)]),
            "last chunk without its pad byte" => WithRiffSizeOfFile(WithOddLastChunk(Webp)[..^1]),
            "RIFF size ending inside a chunk" => WithUInt32(Webp, 4, (uint)Webp.Length - 8 - 2),
            "RIFF header only" => WithRiffSizeOfFile(Webp[..12]),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };

        // Act
        bool actual = WebpStructure.IsComplete(file);

        // Assert
        Assert.Equal(complete, actual);
    }

    private static int LastChunk(byte[] webp)
    {
        int at = 12;
        for (int next; (next = Next(webp, at)) < webp.Length; at = next)
        {
        }

        return at;
    }

    private static int Next(byte[] webp, int at)
    {
        int size = BinaryPrimitives.ReadInt32LittleEndian(webp.AsSpan(at + 4));
        return at + 8 + size + (size & 1);
    }

    // The last chunk's size made odd (its data one byte shorter, the old last byte now its pad byte).
    private static byte[] WithOddLastChunk(byte[] webp)
    {
        int last = LastChunk(webp);
        int size = BinaryPrimitives.ReadInt32LittleEndian(webp.AsSpan(last + 4));
        byte[] file = size % 2 == 1 ? webp : WithUInt32(webp, last + 4, (uint)size - 1);
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(last + 4)) % 2);
        Assert.True(WebpStructure.IsComplete(file), "padded, the odd chunk is complete");
        return file;
    }

    private static byte[] WithRiffSizeOfFile(byte[] webp) => WithUInt32(webp, 4, (uint)webp.Length - 8);

    private static byte[] WithUInt32(byte[] webp, int at, uint value)
    {
        var file = (byte[])webp.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(at), value);
        return file;
    }
}
