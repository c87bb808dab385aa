using System.Buffers.Binary;
using Workflows.Assets.Imaging.Png;

namespace Workflows.Assets.Imaging;

/// <summary>
/// What inspection reads of a PNG: every chunk but the image data (IDAT), whose sizes the chunk headers carry. The
/// chunks before the first IDAT come with the first read; those after the last one (text chunks, XMP in iTXt, an
/// older file's eXIf) with a read of the file's end, in which the last IDAT is found whole, its CRC right, followed by
/// CRC-checked chunks that end with IEND at the end of the file. Where the IDAT chunks are large, their headers are
/// walked instead, a read each. The codec and the metadata reader then see those chunks, in order, with one empty
/// IDAT in place of the image data (<see cref="Compact"/>). Anything else, or a structure that does not add up, is
/// read whole, and judged by the codec as it always was; the rendering checks every chunk whatever inspection read.
/// </summary>
internal static class PngExtent
{
    /// <summary>Chunks other than IDAT: a header, a colour profile, a few text chunks, EXIF, XMP at most.</summary>
    public const int MaxChunks = 256;

    /// <summary>Ranged reads before the rest of the file is read instead.</summary>
    public const int MaxReads = 8;

    private const int Signature = 8;

    /// <summary>The next range to read, null when every chunk but the image data is read, or the rest of the file.</summary>
    public static ByteRange? Next(OriginalParts read) => Walk(read).Next;

    /// <summary>The chunks read, with one empty IDAT in place of each run of IDAT chunks, as a PNG file.</summary>
    public static Stream Compact(OriginalParts read)
    {
        var file = new MemoryStream();
        file.Write(read.Span(0, Signature));
        foreach (ByteRange chunk in Walk(read).Kept)
        {
            file.Write(chunk.Length == 0 ? EmptyImageData : read.Span(chunk.Start, (int)chunk.Length));
        }

        file.Position = 0;
        return file;
    }

    /// <summary>
    /// Whether what inspection reads of <paramref name="png"/> (the same ranged reads over the same bytes, then
    /// <see cref="Compact"/>) is the file's own chunks to its first IEND, each run of IDAT chunks emptied; true also when
    /// inspection reads the file whole. The end search takes the chunks after the image data on the strength of their
    /// CRCs, which bytes that are not the file's chunks can satisfy too (a chain after IEND, or inside IDAT data): the
    /// rendering, which holds the whole file, rejects such a file rather than let it keep metadata it does not hold.
    /// For a file whose chunks are whole to IEND (<see cref="PngChunk.WalkToEnd"/>, which the rendering has already
    /// walked): they are followed by their lengths (<see cref="PngChunk.Chunks"/>).
    /// </summary>
    public static bool ReadsAsWalked(ReadOnlySpan<byte> png)
    {
        var read = new OriginalParts(png.Length);
        for (ByteRange? next; (next = InspectionExtent.Next(read)) is { } range;)
        {
            if (range.End == png.Length && range.Start == read.PrefixEnd && read.Reads > 0)
            {
                return true; // the rest of the file: inspection reads it whole (OriginalReads)
            }

            read.Add(range.Start, png[(int)range.Start..(int)range.End].ToArray());
        }

        if (read.PrefixEnd == read.Length)
        {
            return true;
        }

        // The file's chunks, walked from the signature, against what inspection saw, chunk by chunk.
        using var compactStream = (MemoryStream)Compact(read);
        ReadOnlySpan<byte> compact = compactStream.GetBuffer().AsSpan(0, (int)compactStream.Length);
        int matched = Signature;
        bool inImageData = false;
        foreach (ByteRange chunk in PngChunk.Chunks(png))
        {
            bool imageData = PngChunk.Type(png, chunk).SequenceEqual("IDAT"u8);
            ReadOnlySpan<byte> seen = imageData ? (inImageData ? [] : EmptyImageData) : png[(int)chunk.Start..(int)chunk.End];
            if (!compact[matched..].StartsWith(seen))
            {
                return false;
            }

            matched += seen.Length;
            inImageData = imageData;
        }

        return matched == compact.Length;
    }

    /// <summary>
    /// Whether a chunk before the first IEND claims more bytes than follow it. MetadataExtractor allocates the length a
    /// chunk claims before reading it (2 GB for a lie of four bytes), then fails: such a file gets no metadata anyway.
    /// </summary>
    public static bool HasChunkPastEnd(ReadOnlySpan<byte> png)
    {
        for (long at = Signature; at + 8 <= png.Length;)
        {
            long end = at + PngChunk.Frame + BinaryPrimitives.ReadUInt32BigEndian(png[(int)at..]);
            if (end > png.Length)
            {
                return true;
            }

            if (png.Slice((int)at + 4, 4).SequenceEqual("IEND"u8))
            {
                return false;
            }

            at = end;
        }

        return false;
    }

    // A zero-length IDAT chunk: the length, the type and the CRC of the type.
    private static readonly byte[] EmptyImageData = [0, 0, 0, 0, .. "IDAT"u8, 0x35, 0xAF, 0x06, 0x1E];

    /// <summary>
    /// Walks the chunks read so far: the next range to read, or (Next null) the chunks to keep, in order, an empty
    /// range where a run of IDAT chunks stood.
    /// </summary>
    private static (ByteRange? Next, List<ByteRange> Kept) Walk(OriginalParts read)
    {
        var rest = (Next: (ByteRange?)new ByteRange(read.PrefixEnd, read.Length), Kept: new List<ByteRange>());
        List<ByteRange> kept = [];
        long at = Signature, metadata = 0, imageData = 0; // the size of the last IDAT chunk while in the image data
        while (at < read.Length)
        {
            if (kept.Count > MaxChunks + 1 || at + PngChunk.Frame > read.Length)
            {
                return rest; // many chunks, or one cut short: the codec judges the whole file
            }

            if (!read.Has(at, at + 8))
            {
                if (imageData == 0)
                {
                    return (InspectionExtent.Window(read, at, at + 8, MaxReads), kept);
                }

                // In the image data: the chunks after it from the end of the file, else the next header.
                if (AfterImageData(read, at) is { } after)
                {
                    kept.AddRange(after); // the run of image data already stands in kept
                    return (null, kept);
                }

                return (TailOrHeader(read, at, imageData), kept);
            }

            ReadOnlySpan<byte> type = read.Span(at + 4, 4);
            long end = at + PngChunk.Frame + BinaryPrimitives.ReadUInt32BigEndian(read.Span(at, 4));
            if (end > read.Length)
            {
                return rest;
            }

            if (type.SequenceEqual("IDAT"u8))
            {
                if (kept.Count == 0 || kept[^1].Length != 0)
                {
                    kept.Add(new ByteRange(at, at)); // a run of image data starts
                }

                imageData = Math.Max(1, end - at);
                at = end;
                continue;
            }

            metadata += end - at;
            if (metadata > InspectionExtent.MaxHeaderBytes)
            {
                return rest;
            }

            if (!read.Has(at, end))
            {
                return (InspectionExtent.Window(read, at, end, MaxReads), kept);
            }

            kept.Add(new ByteRange(at, end));
            imageData = 0;
            at = end;
            if (type.SequenceEqual("IEND"u8))
            {
                break;
            }
        }

        return (null, kept);
    }

    /// <summary>
    /// The next read while the walk is in the image data at <paramref name="at"/>: the file's last
    /// <see cref="InspectionExtent.FirstRead"/> bytes, then a four times longer end of the file, up to
    /// <see cref="InspectionExtent.MaxHeaderBytes"/> (text after the image data, or a last IDAT chunk larger than the end
    /// read); then, where the IDAT chunks are large (<paramref name="imageData"/> bytes the last), the next chunk
    /// header, a read each; else, or once <see cref="MaxReads"/> reads are spent, the rest of the file.
    /// </summary>
    private static ByteRange TailOrHeader(OriginalParts read, long at, long imageData)
    {
        var rest = new ByteRange(read.PrefixEnd, read.Length);
        long tail = read.Length - read.SuffixStart;
        long start = Math.Max(at, read.Length - Math.Max(InspectionExtent.FirstRead, 4 * tail));
        if (read.Reads >= MaxReads)
        {
            return rest;
        }

        if (tail < InspectionExtent.MaxHeaderBytes && read.NextPartAfter(start) == read.SuffixStart)
        {
            return new ByteRange(start, read.SuffixStart);
        }

        return imageData >= InspectionExtent.FirstRead ? InspectionExtent.Window(read, at, at + 8, MaxReads) : rest;
    }

    /// <summary>
    /// The chunks after the image data, found in the part read at the end of the file (which starts after
    /// <paramref name="at"/>): the first IDAT chunk in it that is whole with its CRC right and followed by CRC-checked
    /// chunks other than IDAT, ending with IEND at the end of the file; null when there is none. The lengths are
    /// followed first (each chunk once); CRCs are computed over at most twice the part's bytes, so a part crafted
    /// full of look-alikes gives up (the file is then read whole) rather than checking each.
    /// </summary>
    private static List<ByteRange>? AfterImageData(OriginalParts read, long at)
    {
        long start = read.SuffixStart;
        if (start <= at || read.Length - start < PngChunk.Frame)
        {
            return null;
        }

        ReadOnlySpan<byte> tail = read.Span(start, (int)(read.Length - start));
        Dictionary<int, int> chunksToEnd = [];
        long crcBudget = 2L * tail.Length;
        for (int i = 4; (i = IndexOf(tail, "IDAT"u8, i)) >= 0; i++)
        {
            int chunk = i - 4;
            long end = chunk + PngChunk.Frame + (long)BinaryPrimitives.ReadUInt32BigEndian(tail[chunk..]);
            if (end > tail.Length || ChunksToEnd(tail, (int)end, chunksToEnd) > MaxChunks + 1)
            {
                continue;
            }

            List<ByteRange> after = Chunks(tail, (int)end);
            crcBudget -= (end - chunk) + after.Sum(c => c.Length);
            if (crcBudget < 0)
            {
                return null;
            }

            bool whole = PngChunk.IsWhole(tail, chunk, (int)end);
            foreach (ByteRange c in after)
            {
                whole = whole && PngChunk.IsWhole(tail, (int)c.Start, (int)c.End);
            }

            if (whole)
            {
                return [.. after.Select(c => new ByteRange(start + c.Start, start + c.End))];
            }
        }

        return null;
    }

    private static int IndexOf(ReadOnlySpan<byte> span, ReadOnlySpan<byte> value, int from)
    {
        int found = span[from..].IndexOf(value);
        return found < 0 ? -1 : from + found;
    }

    // How many chunks other than IDAT, by their lengths, run from offset to the IEND ending the tail (int.MaxValue: they
    // do not); remembered for every chunk on the way, as a count, so overlapping candidates cost one walk in all and each
    // is judged by its own count (a walk from further back that is too long says nothing of the chunks it passes).
    private static int ChunksToEnd(ReadOnlySpan<byte> tail, int offset, Dictionary<int, int> known)
    {
        List<int> walked = [];
        int count;
        while (!known.TryGetValue(offset, out count))
        {
            long end = offset + PngChunk.Frame <= tail.Length
                ? offset + PngChunk.Frame + (long)BinaryPrimitives.ReadUInt32BigEndian(tail[offset..])
                : long.MaxValue; // not even a chunk's frame left
            if (end > tail.Length || tail.Slice(offset + 4, 4).SequenceEqual("IDAT"u8))
            {
                count = int.MaxValue;
                break;
            }

            walked.Add(offset);
            if (tail.Slice(offset + 4, 4).SequenceEqual("IEND"u8))
            {
                count = end == tail.Length ? 0 : int.MaxValue;
                break;
            }

            offset = (int)end;
        }

        for (int i = walked.Count - 1; i >= 0; i--)
        {
            count = count == int.MaxValue ? count : count + 1;
            known[walked[i]] = count;
        }

        return count;
    }

    // The chunks from offset to IEND (ChunksToEnd counts them).
    private static List<ByteRange> Chunks(ReadOnlySpan<byte> tail, int offset)
    {
        List<ByteRange> chunks = [];
        while (offset < tail.Length)
        {
            int end = offset + PngChunk.Frame + (int)BinaryPrimitives.ReadUInt32BigEndian(tail[offset..]);
            chunks.Add(new ByteRange(offset, end));
            offset = end;
        }

        return chunks;
    }
}
