using System.Buffers.Binary;
using Workflows.Assets.Imaging;
using Workflows.Assets.Imaging.Magick;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>
/// The pre-decode stretch check finds a DefaultScale in every IFD libraw parses (LibRaw src/metadata/tiff.cpp:
/// SubIFD offsets read as 32 bits whatever the entry's type, each list depth-first where the tag stands, IFD0's
/// chain after it, at most 10 IFDs). Hand-built little-endian TIFF structures; no pixels.
/// </summary>
public sealed class TiffContainerPixelAspectTests
{
    [Fact]
    public void PixelAspect_SubIfdsTypedShortWhoseValueFieldHoldsA32BitOffset_FindsTheStretchLibrawApplies()
    {
        // Arrange: IFD0's SubIFDs entry is SHORT, count 1; its 4-byte value field holds 0x00010200. The spec reads the
        // 16-bit 0x0200 (an empty IFD); libraw reads 32 bits (get4) and parses the IFD at 0x10200: DefaultScale 3 : 1.
        var file = new byte[0x10300];
        Header(file);
        Ifd(file, 8, next: 0, (330, 3, 1, 0x00010200));
        Ifd(file, 0x10200, next: 0, (50718, 5, 2, 0x10280));
        Rational(file, 0x10280, 3, 1, 1, 1);

        // Act + Assert
        Assert.Equal(3, TiffContainer.PixelAspect(file));
    }

    [Fact]
    public void PixelAspect_SubIfdBeforeALongChainOfEmptyIfds_FindsTheStretchLibrawApplies()
    {
        // Arrange: IFD0 has one SubIFD (DefaultScale 3 : 1), which libraw parses second, right where the tag stands;
        // IFD0's chain then runs on through 100 empty IFDs.
        var file = new byte[4096];
        Header(file);
        Ifd(file, 8, next: 200, (330, 4, 1, 100));
        Ifd(file, 100, next: 0, (50718, 5, 2, 150));
        Rational(file, 150, 3, 1, 1, 1);
        for (int i = 0; i < 100; i++)
        {
            int at = 200 + 6 * i;
            Ifd(file, at, next: i < 99 ? (uint)(at + 6) : 0);
        }

        // Act + Assert
        Assert.Equal(3, TiffContainer.PixelAspect(file));
    }

    [Fact]
    public void PixelAspect_NikonD1xWithoutADefaultScale_TwiceAsTallAsLibrawDevelopsIt()
    {
        // Arrange: IFD0 says Model "NIKON D1X" and has no DefaultScale; libraw's identify gives that model a pixel
        // aspect of 0.5 (developed twice as tall) by itself.
        var file = new byte[256];
        Header(file);
        Ifd(file, 8, next: 0, (272, 2, 10, 100));
        "NIKON D1X\0"u8.CopyTo(file.AsSpan(100));

        // Act + Assert
        Assert.Equal(0.5, TiffContainer.PixelAspect(file));
    }

    [Fact]
    public void PixelAspect_ModelTagWhoseOffsetWrapsPastFourGigabytes_NoStretchAndNoException()
    {
        // Arrange: a hostile file's Model tag: 64 ASCII bytes at offset 0xFFFFFFF0, which with its length wraps a 32-bit
        // sum round to 0x30, inside the file. libraw finds no such bytes; the check must not read before the file.
        var file = new byte[256];
        Header(file);
        Ifd(file, 8, next: 0, (272, 2, 64, 0xFFFFFFF0));

        // Act + Assert
        Assert.Equal(1, TiffContainer.PixelAspect(file));
    }

    [Fact]
    public void Kind_MakeTagWhoseOffsetWrapsPastFourGigabytes_APlainTiff()
    {
        // Arrange: IFD0 has SubIFDs and a Make tag of 64 bytes at 0xFFFFFFF0 (a 32-bit sum with the length wraps to 0x30).
        var file = new byte[256];
        Header(file);
        Ifd(file, 8, next: 0, (271, 2, 64, 0xFFFFFFF0), (330, 4, 1, 100));

        // Act + Assert: no make can be read, so it goes to the TIFF reader to judge.
        Assert.Equal(ImageFormat.Tiff, TiffContainer.Kind(file));
    }

    private static void Header(byte[] file)
    {
        "II*\0"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), 8);
    }

    private static void Ifd(byte[] file, int at, uint next, params (ushort Tag, ushort Type, uint Count, uint Value)[] entries)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(at), (ushort)entries.Length);
        for (int i = 0; i < entries.Length; i++)
        {
            var entry = file.AsSpan(at + 2 + 12 * i);
            BinaryPrimitives.WriteUInt16LittleEndian(entry, entries[i].Tag);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], entries[i].Type);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], entries[i].Count);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], entries[i].Value);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(at + 2 + 12 * entries.Length), next);
    }

    private static void Rational(byte[] file, int at, params uint[] parts)
    {
        for (int i = 0; i < parts.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(at + 4 * i), parts[i]);
        }
    }
}
