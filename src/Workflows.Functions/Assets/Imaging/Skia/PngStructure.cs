using System.Buffers.Binary;
using System.IO.Compression;
using SkiaSharp;

using Workflows.Assets.Imaging.Png;

namespace Workflows.Assets.Imaging.Skia;

/// <summary>
/// Whether a PNG is complete and its pixel stream sound, without building a bitmap. Checks every chunk's framing
/// and CRC up to IEND (or takes that walk, <see cref="PngChunk.WalkToEnd"/>, from its caller), then inflates the
/// IDAT data through a 64 KB buffer: it must hold exactly the filtered rows the header promises (Adam7 passes
/// included), each starting with a valid filter type, and end with its zlib checksum. libpng stops inflating once it
/// has the rows and only warns about what follows, so the decode alone renders a stream that inflates to garbage
/// longer than the rows (a bit flipped before the CRC was written) without an error.
/// </summary>
internal static class PngStructure
{
    private static readonly (int X, int Y, int StepX, int StepY)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    public static bool IsComplete(SKData png) => IsComplete(png, PngChunk.WalkToEnd(png.Span));

    /// <inheritdoc cref="IsComplete(SKData)"/>
    /// <param name="whole">Whether the file's chunks are whole to its first IEND (<see cref="PngChunk.WalkToEnd"/>).</param>
    public static bool IsComplete(SKData png, bool whole)
    {
        if (!whole)
        {
            return false;
        }

        List<Range> imageData = [];
        ReadOnlySpan<byte> file = png.Span;
        ReadOnlySpan<byte> header = default;
        foreach (ByteRange chunk in PngChunk.Chunks(file))
        {
            ReadOnlySpan<byte> type = PngChunk.Type(file, chunk);
            ReadOnlySpan<byte> data = PngChunk.Data(file, chunk);
            if (type.SequenceEqual("IHDR"u8) && data.Length == 13)
            {
                header = data;
            }
            else if (type.SequenceEqual("IDAT"u8))
            {
                imageData.Add(new Range((int)chunk.Start + 8, (int)chunk.End - 4));
            }
        }

        // The walk ends at IEND.
        return !header.IsEmpty && imageData.Count > 0 && PixelStreamIsComplete(header, png, imageData);
    }

    private static bool PixelStreamIsComplete(ReadOnlySpan<byte> header, SKData png, List<Range> imageData)
    {
        int width = (int)BinaryPrimitives.ReadUInt32BigEndian(header);
        int height = (int)BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        int channels = header[9] switch { 0 or 3 => 1, 2 => 3, 4 => 2, 6 => 4, _ => 0 };
        int bitsPerPixel = header[8] * channels;
        bool interlaced = header[12] == 1;
        if (width <= 0 || height <= 0 || bitsPerPixel == 0)
        {
            return false;
        }

        // (bytes per row including its filter byte, rows) for each pass that has pixels.
        var passes = (interlaced ? Adam7 : [(0, 0, 1, 1)])
            .Select(p => (Width: (width - p.X + p.StepX - 1) / p.StepX, Height: (height - p.Y + p.StepY - 1) / p.StepY))
            .Where(p => p.Width > 0 && p.Height > 0)
            .Select(p => (RowBytes: 1 + (int)(((long)p.Width * bitsPerPixel + 7) / 8), Rows: p.Height))
            .ToList();

        try
        {
            using var pixels = new ZLibStream(new ConcatenatedStream(png, imageData), CompressionMode.Decompress);
            var buffer = new byte[64 * 1024];
            int pass = 0;
            int rowsLeft = passes[0].Rows;
            int bytesLeftInRow = 0;
            int read;
            while ((read = pixels.Read(buffer)) > 0)
            {
                for (int i = 0; i < read;)
                {
                    if (bytesLeftInRow == 0)
                    {
                        if (rowsLeft == 0 && ++pass < passes.Count)
                        {
                            rowsLeft = passes[pass].Rows;
                        }

                        if (pass == passes.Count)
                        {
                            return true; // every row is there; data after it is ignored, as libpng does
                        }

                        if (buffer[i] > 4)
                        {
                            return false; // filter types are 0-4
                        }

                        bytesLeftInRow = passes[pass].RowBytes;
                        rowsLeft--;
                    }

                    int take = Math.Min(bytesLeftInRow, read - i);
                    bytesLeftInRow -= take;
                    i += take;
                }
            }

            return bytesLeftInRow == 0 && rowsLeft == 0 && pass == passes.Count - 1;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }
}
