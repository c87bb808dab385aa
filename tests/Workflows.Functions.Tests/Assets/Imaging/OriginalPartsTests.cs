using Workflows.Assets.Imaging;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>The parts of an original inspection has read (<see cref="OriginalParts"/>): joined, counted, viewed with zeros between.</summary>
public sealed class OriginalPartsTests
{
    [Fact]
    public void Add_ReadsOutOfOrderThatTouch_JoinedIntoOnePartAndCounted()
    {
        // Arrange
        byte[] file = [.. Enumerable.Range(1, 40).Select(i => (byte)i)];
        var read = new OriginalParts(file.Length);

        // Act
        read.Add(0, file[..10]);
        read.Add(20, file[20..30]);
        read.Add(10, file[10..20]);

        // Assert
        Assert.Equal((3, 30L, 30L), (read.Reads, read.BytesRead, read.PrefixEnd));
        Assert.True(read.Has(5, 30));
        Assert.False(read.Has(25, 31));
        Assert.Equal(30, read.FirstUnread(12));
        Assert.Equal(file[5..25], read.Span(5, 20).ToArray());
    }

    [Fact]
    public void Open_PartsWithAGap_ZerosInTheGapAndTheFileLength()
    {
        // Arrange
        byte[] file = [.. Enumerable.Range(1, 40).Select(i => (byte)i)];
        var read = new OriginalParts(file.Length);
        read.Add(0, file[..8]);
        read.Add(30, file[30..36]);

        // Act
        using var view = read.Open(file.Length);
        using var copy = new MemoryStream();
        view.CopyTo(copy);

        // Assert
        byte[] expected = [.. file[..8], .. new byte[22], .. file[30..36], .. new byte[4]];
        Assert.Equal(expected, copy.ToArray());
    }

    [Fact]
    public void Add_ReadOverlappingPartOfAnother_Refused()
    {
        // Arrange
        var read = new OriginalParts(100);
        read.Add(0, new byte[50]);

        // Act + Assert: a range is read once; only the rest of the file may cover parts (whole ones) already read.
        Assert.Throws<ArgumentException>(() => read.Add(40, new byte[20]));
        read.Add(50, new byte[50]);
        Assert.Equal(100, read.PrefixEnd);
    }
}
