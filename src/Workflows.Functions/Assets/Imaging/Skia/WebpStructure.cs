using System.Buffers.Binary;

namespace Workflows.Assets.Imaging.Skia;

/// <summary>
/// Whether a WebP is complete: its RIFF size is the file's length less the 8 bytes of the RIFF header, and its chunks
/// (each padded to an even size) fill that exactly. Nothing is decoded: libwebp renders a file whose RIFF size claims
/// more than it holds, or that is cut inside the EXIF or XMP after its image data, without an error.
/// </summary>
internal static class WebpStructure
{
    private const int RiffHeader = 12; // RIFF, size, WEBP
    private const int ChunkHeader = 8;

    public static bool IsComplete(ReadOnlySpan<byte> webp)
    {
        if (webp.Length < RiffHeader + ChunkHeader || BinaryPrimitives.ReadUInt32LittleEndian(webp[4..]) != (ulong)webp.Length - 8)
        {
            return false;
        }

        long offset = RiffHeader;
        while (offset < webp.Length)
        {
            if (webp.Length - offset < ChunkHeader)
            {
                return false;
            }

            long size = BinaryPrimitives.ReadUInt32LittleEndian(webp[((int)offset + 4)..]);
            long end = offset + ChunkHeader + size + (size & 1); // long: a uint32 size near 4 GB cannot wrap
            if (end > webp.Length)
            {
                return false;
            }

            offset = end;
        }

        return true;
    }
}
