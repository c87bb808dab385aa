using System.Buffers.Binary;

namespace Workflows.Assets.Imaging.Magick;

/// <summary>
/// Whether a file holds everything its container promises, checked before the decode. The codecs forgive a cut
/// that lands in metadata or a trailing section (libtiff skips a tag whose data is gone with a warning, the PSD
/// reader fills a short composite, libheif reads only the items it needs), so a truncated upload would pass.
/// </summary>
internal static class ContainerStructure
{
    public static bool IsComplete(ImageFormat format, ReadOnlySpan<byte> file) => format switch
    {
        ImageFormat.Heic or ImageFormat.Heif or ImageFormat.Avif or ImageFormat.Cr3 => IsoBoxesFit(file),
        ImageFormat.JpegXl => file[0] != 0 || IsoBoxesFit(file), // the bare codestream is libjxl's to judge
        ImageFormat.Psd => PsdSectionsFit(file),
        _ => TiffContainer.EntriesFit(file),
    };

    // Top-level boxes, each with its declared size, must end exactly at the end of the file.
    private static bool IsoBoxesFit(ReadOnlySpan<byte> file)
    {
        long at = 0;
        while (at < file.Length)
        {
            if (file.Length - at < 8)
            {
                return false;
            }

            long size = BinaryPrimitives.ReadUInt32BigEndian(file[(int)at..]);
            if (size == 1)
            {
                size = file.Length - at < 16 ? 0 : (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(file[((int)at + 8)..]), long.MaxValue);
            }
            else if (size == 0)
            {
                return true; // the last box runs to the end of the file
            }

            if (size < 8 || size > file.Length - at)
            {
                return false;
            }

            at += size;
        }

        return true;
    }

    // Header, colour mode data, image resources, layers, then the composite: raw or RLE, whose length is known.
    private static bool PsdSectionsFit(ReadOnlySpan<byte> file)
    {
        bool big = file[5] == 2; // PSB: 8-byte layer section length, 4-byte RLE counts
        if (file.Length < 26)
        {
            return false;
        }

        int channels = BinaryPrimitives.ReadUInt16BigEndian(file[12..]);
        long height = BinaryPrimitives.ReadUInt32BigEndian(file[14..]);
        long width = BinaryPrimitives.ReadUInt32BigEndian(file[18..]);
        int depth = BinaryPrimitives.ReadUInt16BigEndian(file[22..]);
        long at = 26;
        foreach (int lengthSize in new[] { 4, 4, big ? 8 : 4 })
        {
            if (file.Length - at < lengthSize)
            {
                return false;
            }

            long length = lengthSize == 8 ? (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(file[(int)at..]), long.MaxValue)
                : BinaryPrimitives.ReadUInt32BigEndian(file[(int)at..]);
            if (length > file.Length - at - lengthSize)
            {
                return false;
            }

            at += lengthSize + length;
        }

        if (file.Length - at < 2)
        {
            return false;
        }

        int compression = BinaryPrimitives.ReadUInt16BigEndian(file[(int)at..]);
        at += 2;
        long rows = channels * height;
        long remaining = file.Length - at;
        switch (compression)
        {
            case 0:
                return remaining >= rows * ((width * depth + 7) / 8);
            case 1:
                int countSize = big ? 4 : 2;
                if (remaining < rows * countSize)
                {
                    return false;
                }

                long data = 0;
                for (long row = 0; row < rows; row++)
                {
                    int entry = (int)(at + row * countSize);
                    data += big ? BinaryPrimitives.ReadUInt32BigEndian(file[entry..]) : BinaryPrimitives.ReadUInt16BigEndian(file[entry..]);
                }

                return remaining - rows * countSize >= data;
            default:
                return remaining > 0; // ZIP: only the decoder knows the length
        }
    }
}
