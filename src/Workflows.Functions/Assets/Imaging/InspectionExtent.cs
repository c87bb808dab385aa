using System.Buffers.Binary;

namespace Workflows.Assets.Imaging;

/// <summary>
/// Which parts of an original inspection reads, so that only the rendering reads all of it. A JPEG's header ends where
/// its first scan starts (EXIF, XMP, ICC profile and frame header all come before), so a JPEG is read that far; a
/// WebP's and a PNG's chunks carry their sizes, so their headers and metadata chunks are read around the image data
/// (<see cref="WebpExtent"/>, <see cref="PngExtent"/>: a PNG's XMP, and an older file's EXIF, may follow IDAT). Every
/// other format is read whole: GIF may carry XMP after its frames, TIFF-based files put their IFDs anywhere, the ISO
/// containers an Exif item anywhere, and the Magick formats' container check needs the whole file.
/// </summary>
internal static class InspectionExtent
{
    /// <summary>The first read: holds the header of nearly every photo (a phone's EXIF with its thumbnail is ~20-60 KB).</summary>
    public const int FirstRead = 64 * 1024;

    /// <summary>A JPEG header, or a WebP's metadata chunks, longer than this (megabytes of EXIF or XMP): read whole.</summary>
    public const int MaxHeaderBytes = 4 * 1024 * 1024;

    private const byte StartOfScan = 0xDA;

    /// <summary>
    /// The next range to read given what <paramref name="read"/> holds: null when it is enough to inspect; the rest of
    /// the file (from <see cref="OriginalParts.PrefixEnd"/> to the end) when the whole file is needed after all.
    /// </summary>
    public static ByteRange? Next(OriginalParts read)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (read.Reads == 0 && read.Length > 0)
        {
            return new ByteRange(0, Math.Min(read.Length, FirstRead));
        }

        if (read.PrefixEnd == read.Length)
        {
            return null;
        }

        return FormatSniffer.Sniff(read.Prefix).Format switch
        {
            ImageFormat.Jpeg => JpegNext(read),
            ImageFormat.Webp => WebpExtent.Next(read),
            ImageFormat.Png => PngExtent.Next(read),
            _ => new ByteRange(read.PrefixEnd, read.Length),
        };
    }

    /// <summary>
    /// What inspection reads, as the codec and metadata reader see it: a JPEG's header; a WebP at its full length
    /// with zeros in place of the image data not read (every chunk where its header says); a PNG's chunks without
    /// their image data (<see cref="PngExtent.Compact"/>: a few KB, not the file's length); else the whole file.
    /// </summary>
    public static Stream Open(OriginalParts read)
    {
        ArgumentNullException.ThrowIfNull(read);
        ImageFormat? format = read.PrefixEnd < read.Length ? FormatSniffer.Sniff(read.Prefix).Format : null;
        return format switch
        {
            ImageFormat.Png => PngExtent.Compact(read),
            ImageFormat.Webp => read.Open(read.Length),
            _ => read.Open(read.PrefixEnd),
        };
    }

    /// <summary>The parts inspection reads of <paramref name="file"/>, for callers that hold a file in memory (tests, bench).</summary>
    public static OriginalParts Read(byte[] file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var read = new OriginalParts(file.Length);
        for (ByteRange? next; (next = Next(read)) is { } range;)
        {
            read.Add(range.Start, file[(int)range.Start..(int)range.End]);
        }

        return read;
    }

    /// <summary>The stream inspection reads for <paramref name="file"/> (see <see cref="Open"/>).</summary>
    public static Stream View(byte[] file) => Open(Read(file));

    /// <summary>
    /// A read from the first unread byte of [<paramref name="at"/>, <paramref name="needed"/>) to at least
    /// <paramref name="needed"/> and <see cref="FirstRead"/> bytes on (the chunks that follow), within the file and
    /// before the next part read; the rest of the file instead once <paramref name="maxReads"/> reads are spent.
    /// </summary>
    internal static ByteRange Window(OriginalParts read, long at, long needed, int maxReads)
    {
        long start = read.FirstUnread(at);
        if (read.Reads >= maxReads)
        {
            return new ByteRange(read.PrefixEnd, read.Length);
        }

        long end = Math.Min(Math.Max(needed, start + FirstRead), read.NextPartAfter(start));
        return new ByteRange(start, Math.Min(end, read.Length));
    }

    /// <summary>
    /// The prefix to have read next: the header when it ends within what is read, else at least twice as many bytes
    /// (a header of many segments costs a few reads), up to the whole file.
    /// </summary>
    private static ByteRange? JpegNext(OriginalParts read)
    {
        long have = read.PrefixEnd;
        long needed = JpegHeaderEnd(read.Prefix);
        if (needed <= have)
        {
            return null;
        }

        long next = Math.Max(needed, 2L * have);
        return new ByteRange(have, next > MaxHeaderBytes ? read.Length : Math.Min(next, read.Length));
    }

    /// <summary>
    /// Where the header ends (after the first start-of-scan segment), as far as <paramref name="jpeg"/> shows: past its
    /// end when a segment runs beyond it; <see cref="long.MaxValue"/> (read it all) when the structure is not a plain
    /// sequence of segments, so the codec judges the whole file as it always did.
    /// </summary>
    private static long JpegHeaderEnd(ReadOnlySpan<byte> jpeg)
    {
        long at = 2; // after SOI
        while (true)
        {
            if (at + 4 > jpeg.Length)
            {
                return at + 4;
            }

            int i = (int)at;
            if (jpeg[i] != 0xFF)
            {
                return long.MaxValue;
            }

            byte type = jpeg[i + 1];
            if (type == 0xFF)
            {
                at++; // a fill byte before the marker
                continue;
            }

            if (type is 0x00 or 0x01 or (>= 0xD0 and <= 0xD9))
            {
                return long.MaxValue; // no header segment: stuffing, TEM, restart or end of image before any scan
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(i + 2)..]);
            if (length < 2)
            {
                return long.MaxValue;
            }

            at += 2 + length;
            if (type == StartOfScan)
            {
                return at;
            }
        }
    }
}
