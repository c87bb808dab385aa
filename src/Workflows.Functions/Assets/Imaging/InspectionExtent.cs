using System.Buffers.Binary;

namespace Workflows.Assets.Imaging;

/// <summary>
/// How much of an original inspection reads, so that only the rendering reads all of it. A JPEG's header ends where its
/// first scan starts (EXIF, XMP, ICC profile and frame header all come before), so a JPEG is read that far; every other
/// format is read whole: PNG, WebP and GIF may carry EXIF or XMP after the pixels, TIFF-based files put their IFDs
/// anywhere, the ISO containers an Exif item anywhere, and the Magick formats' container check needs the whole file.
/// </summary>
internal static class InspectionExtent
{
    /// <summary>The first read: holds the header of nearly every photo (a phone's EXIF with its thumbnail is ~20-60 KB).</summary>
    public const int FirstRead = 64 * 1024;

    /// <summary>A JPEG header longer than this (megabytes of EXIF or XMP) is read with the rest of the file.</summary>
    public const int MaxHeaderBytes = 4 * 1024 * 1024;

    private const byte StartOfScan = 0xDA;

    /// <summary>
    /// How many first bytes to have read next, given <paramref name="first"/> of a file of <paramref name="fileLength"/>
    /// bytes: <c>first.Length</c> when they are enough to inspect, else more (at least twice as many, so a header of
    /// many segments costs a few reads), up to the whole file.
    /// </summary>
    public static long Next(ReadOnlySpan<byte> first, long fileLength)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first.Length, fileLength);
        if (first.Length == fileLength)
        {
            return fileLength;
        }

        if (FormatSniffer.Sniff(first).Format != ImageFormat.Jpeg)
        {
            return fileLength;
        }

        long needed = JpegHeaderEnd(first);
        if (needed <= first.Length)
        {
            return first.Length;
        }

        long next = Math.Max(needed, 2L * first.Length);
        return next > MaxHeaderBytes ? fileLength : Math.Min(next, fileLength);
    }

    /// <summary>How many first bytes of <paramref name="file"/> inspection reads, for callers that hold a file in memory.</summary>
    public static int Of(ReadOnlySpan<byte> file)
    {
        long have = Math.Min(file.Length, FirstRead);
        for (long next; (next = Next(file[..(int)have], file.Length)) > have;)
        {
            have = next;
        }

        return (int)have;
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
