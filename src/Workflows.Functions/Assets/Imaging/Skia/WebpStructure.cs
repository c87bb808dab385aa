using System.Buffers.Binary;

namespace Workflows.Assets.Imaging.Skia;

/// <summary>
/// Whether a WebP is complete: the RIFF chunk its header sizes is all in the file, and its chunks (each padded to an
/// even size) fill it exactly. Nothing is decoded: libwebp renders a file whose RIFF size claims more than it holds,
/// or that is cut inside the EXIF or XMP after its image data, without an error. Bytes after the RIFF chunk are
/// ignored, as libwebp ignores them (and as <see cref="PngStructure"/> ignores bytes after IEND).
/// </summary>
internal static class WebpStructure
{
    private const int RiffHeader = 12; // RIFF, size, WEBP
    private const int ChunkHeader = 8;

    public static bool IsComplete(ReadOnlySpan<byte> webp)
    {
        if (webp.Length < RiffHeader + ChunkHeader)
        {
            return false;
        }

        long riffEnd = 8L + BinaryPrimitives.ReadUInt32LittleEndian(webp[4..]); // long: a size near 4 GB cannot wrap
        if (riffEnd > webp.Length)
        {
            return false;
        }

        long offset = RiffHeader;
        while (offset < riffEnd)
        {
            if (riffEnd - offset < ChunkHeader)
            {
                return false;
            }

            long size = BinaryPrimitives.ReadUInt32LittleEndian(webp[((int)offset + 4)..]);
            offset += ChunkHeader + size + (size & 1);
            if (offset > riffEnd)
            {
                return false;
            }
        }

        return offset == riffEnd;
    }
}
