using System.Buffers.Binary;

namespace Workflows.Assets.Imaging;

/// <summary>
/// What inspection reads of a WebP: every chunk header, and every chunk whole but the image data (VP8, VP8L, ALPH:
/// their first bytes only, which hold the frame header). A RIFF chunk carries its size, so the walk skips the pixels
/// and reads the EXIF and XMP chunks that follow them: a read of the header, one after the image data. The codec
/// and the metadata reader then see the file's structure intact, zeros in place of the pixels they do not read.
/// Anything else, or a header that does not add up, is read whole, and judged by the codec as it always was.
/// </summary>
internal static class WebpExtent
{
    /// <summary>Chunks in a still WebP: VP8X, ICCP, ALPH, VP8/VP8L, EXIF, XMP and a few unknown ones at most.</summary>
    public const int MaxChunks = 64;

    /// <summary>Ranged reads before the rest of the file is read instead.</summary>
    public const int MaxReads = 8;

    /// <summary>The first bytes of an image chunk the demuxer and codec parse: VP8's frame header is 10, VP8L's 5.</summary>
    public const int FrameHeaderBytes = 32;

    private const int RiffHeader = 12;
    private const int ChunkHeader = 8;

    /// <summary>The next range to read, null when every header and metadata chunk is read, or the rest of the file.</summary>
    public static ByteRange? Next(OriginalParts read)
    {
        var rest = new ByteRange(read.PrefixEnd, read.Length);
        if (read.Length < RiffHeader + ChunkHeader || !read.Has(0, RiffHeader)
            || 8L + BinaryPrimitives.ReadUInt32LittleEndian(read.Span(4, 4)) != read.Length)
        {
            return rest; // short, or a RIFF size that is not the file's: the codec judges it whole
        }

        long at = RiffHeader;
        long metadata = 0;
        for (int chunks = 1; at < read.Length; chunks++)
        {
            if (chunks > MaxChunks || at + ChunkHeader > read.Length)
            {
                return rest;
            }

            if (!read.Has(at, at + ChunkHeader))
            {
                return InspectionExtent.Window(read, at, at + ChunkHeader, MaxReads);
            }

            ReadOnlySpan<byte> type = read.Span(at, 4);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(read.Span(at + 4, 4));
            long end = at + ChunkHeader + size + (size & 1);
            if (end > read.Length || type.SequenceEqual("ANIM"u8) || type.SequenceEqual("ANMF"u8))
            {
                return rest; // a chunk beyond the end, or an animation (the codec counts its frames)
            }

            bool imageData = type.SequenceEqual("VP8 "u8) || type.SequenceEqual("VP8L"u8) || type.SequenceEqual("ALPH"u8);
            long needed = imageData ? at + ChunkHeader + Math.Min(size, FrameHeaderBytes) : end;
            metadata += imageData ? 0 : size;
            if (metadata > InspectionExtent.MaxHeaderBytes)
            {
                return rest;
            }

            if (!read.Has(at, needed))
            {
                return InspectionExtent.Window(read, at, needed, MaxReads);
            }

            at = end;
        }

        return null;
    }

    /// <summary>
    /// The file with only the chunks MetadataExtractor reads for metadata (VP8X, ICCP, EXIF, XMP), for it: it copies a
    /// VP8 or VP8L chunk whole (~3 MB of a 12 MP photo; of inspection's view, zeros) for the width and height it reads
    /// from its first bytes, which the metadata does not use; the rest (ALPH, an animation's ANIM and ANMF frames,
    /// unknown chunks) it skips, so they are not copied here either (an animated WebP, read whole, is mostly frames).
    /// Null when the chunks do not add up to the file: then it reads the file as is.
    /// </summary>
    public static MemoryStream? MetadataChunks(ReadOnlySpan<byte> webp)
    {
        if (webp.Length < RiffHeader || 8L + BinaryPrimitives.ReadUInt32LittleEndian(webp[4..]) != webp.Length)
        {
            return null;
        }

        var compact = new MemoryStream();
        compact.Write(webp[..RiffHeader]);
        for (int at = RiffHeader; at < webp.Length;)
        {
            if (at + ChunkHeader > webp.Length)
            {
                return null;
            }

            ReadOnlySpan<byte> type = webp.Slice(at, 4);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(webp[(at + 4)..]);
            long end = at + ChunkHeader + size + (size & 1);
            if (end > webp.Length)
            {
                return null;
            }

            if (type.SequenceEqual("VP8X"u8) || type.SequenceEqual("ICCP"u8) || type.SequenceEqual("EXIF"u8) || type.SequenceEqual("XMP "u8))
            {
                compact.Write(webp[at..(int)end]);
            }

            at = (int)end;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(compact.GetBuffer().AsSpan(4), (uint)(compact.Length - 8));
        compact.Position = 0;
        return compact;
    }
}
