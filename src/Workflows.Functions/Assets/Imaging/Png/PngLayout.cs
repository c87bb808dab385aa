using System.Buffers.Binary;
using SkiaSharp;

namespace Workflows.Assets.Imaging.Png;

/// <summary>
/// A PNG <see cref="PngRowDecoder"/> can decode: 8-bit gray, gray+alpha, RGB, RGBA or palette (with tRNS),
/// non-interlaced, no gAMA/cHRM/iCCP/cICP (sRGB values as they are). Read from the walk of every chunk's framing and
/// CRC to IEND (<see cref="PngChunk.WalkToEnd"/>) that <see cref="Skia.PngStructure"/> shares; the pixel stream itself
/// is checked as it is decoded.
/// </summary>
internal sealed record PngLayout(int Width, int Height, byte ColourType, uint[]? Palette, List<Range> ImageData)
{
    public int Channels => ColourType switch { 0 or 3 => 1, 2 => 3, 4 => 2, _ => 4 };

    public bool HasAlpha => ColourType is 4 or 6 || (ColourType == 3 && Palette!.Any(p => p >> 24 != 255));

    /// <summary>
    /// (false, null) when the chunks are not whole to IEND, or PLTE/tRNS come twice or after the pixels (or a palette
    /// image's tRNS before its PLTE), or the IDAT
    /// chunks are not consecutive; (true, null) when whole but outside what the row decoder
    /// reads (Skia decodes it); (true, layout) otherwise.
    /// </summary>
    public static (bool Complete, PngLayout? Layout) Read(SKData png) => Read(png.Span, PngChunk.WalkToEnd(png.Span));

    /// <inheritdoc cref="Read(SKData)"/>
    /// <param name="whole">Whether the file's chunks are whole to its first IEND (<see cref="PngChunk.WalkToEnd"/>).</param>
    public static (bool Complete, PngLayout? Layout) Read(ReadOnlySpan<byte> file, bool whole)
    {
        if (!whole)
        {
            return (false, null);
        }

        ReadOnlySpan<byte> header = default, palette = default, transparency = default;
        bool colourManaged = false, seenPalette = false, seenTransparency = false, previousWasImageData = false;
        List<Range> imageData = [];
        foreach (ByteRange chunk in PngChunk.Chunks(file))
        {
            ReadOnlySpan<byte> type = PngChunk.Type(file, chunk);
            ReadOnlySpan<byte> data = PngChunk.Data(file, chunk);
            bool isImageData = type.SequenceEqual("IDAT"u8);

            // PLTE and tRNS once each, before the pixels, a palette image's tRNS after its PLTE (libpng ignores it
            // before: the row decoder would apply it); the IDAT chunks back to back (PNG spec 5.6; libpng rejects the rest).
            if ((type.SequenceEqual("PLTE"u8) && (seenPalette || imageData.Count > 0))
                || (type.SequenceEqual("tRNS"u8) && (seenTransparency || imageData.Count > 0 || (!header.IsEmpty && header[9] == 3 && !seenPalette)))
                || (isImageData && imageData.Count > 0 && !previousWasImageData))
            {
                return (false, null);
            }

            previousWasImageData = isImageData;
            if (type.SequenceEqual("IHDR"u8)) { header = chunk.Start == 8 && data.Length == 13 ? data : header; } // only the first chunk is the header (the one Skia and ImageLimits read)
            else if (type.SequenceEqual("PLTE"u8)) { palette = data; seenPalette = true; }
            else if (type.SequenceEqual("tRNS"u8)) { transparency = data; seenTransparency = true; }
            else if (type.SequenceEqual("gAMA"u8) || type.SequenceEqual("cHRM"u8) || type.SequenceEqual("iCCP"u8) || type.SequenceEqual("cICP"u8)) { colourManaged = true; }
            else if (isImageData) { imageData.Add(new Range((int)chunk.Start + 8, (int)chunk.End - 4)); }
        }

        // The walk ends at IEND.
        return header.IsEmpty || imageData.Count == 0
            ? (false, null)
            : (true, Supported(header, palette, transparency, colourManaged, imageData));
    }

    private static PngLayout? Supported(ReadOnlySpan<byte> header, ReadOnlySpan<byte> palette, ReadOnlySpan<byte> transparency, bool colourManaged, List<Range> imageData)
    {
        int width = (int)BinaryPrimitives.ReadUInt32BigEndian(header);
        int height = (int)BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        byte colourType = header[9];
        bool plain = header[8] == 8 && header[10] == 0 && header[11] == 0 && header[12] == 0 && !colourManaged && width > 0 && height > 0;
        if (!plain || colourType is not (0 or 2 or 3 or 4 or 6) || (colourType is 0 or 2 && !transparency.IsEmpty))
        {
            return null; // 16-bit, sub-8-bit, Adam7, colour-managed, colour-keyed: Skia's path
        }

        uint[]? entries = null;
        if (colourType == 3)
        {
            if (palette.IsEmpty || palette.Length % 3 != 0 || palette.Length > 256 * 3)
            {
                return null;
            }

            // A tRNS longer than the palette is dropped as invalid by libpng (Skia's image is then opaque): so here.
            if (transparency.Length > palette.Length / 3)
            {
                transparency = default;
            }

            // 256 ARGB entries; indices past the palette get its last colour, as Skia's codec pads its table.
            entries = new uint[256];
            for (int i = 0; i < palette.Length / 3; i++)
            {
                uint alpha = i < transparency.Length ? transparency[i] : 255u;
                entries[i] = (alpha << 24) | ((uint)palette[3 * i] << 16) | ((uint)palette[(3 * i) + 1] << 8) | palette[(3 * i) + 2];
            }

            Array.Fill(entries, entries[(palette.Length / 3) - 1], palette.Length / 3, 256 - (palette.Length / 3));
        }

        return new PngLayout(width, height, colourType, entries, imageData);
    }
}
