using System.IO.Compression;
using System.Numerics;
using SkiaSharp;
using Workflows.Assets.Imaging.Skia;

namespace Workflows.Assets.Imaging.Png;

/// <summary>
/// Decodes a <see cref="PngLayout"/> row by row: inflates the IDAT data as the rows are needed (once: the pixel stream
/// checks of <see cref="PngStructure"/> happen here), unfilters each row, premultiplies alpha as Skia's decode does,
/// and box-averages every <c>factor</c> × <c>factor</c> block into a reduced bitmap as the rows arrive, so the
/// full-size bitmap never exists. A bad filter type, a stream short of the rows or failing its zlib checksum rejects
/// the image as corrupt, as the structure check does.
/// </summary>
internal static class PngRowDecoder
{
    /// <summary>The largest integer shrink (at most 8, as a JPEG's scaled decode) whose upright width is still at least <paramref name="minUprightWidth"/>.</summary>
    public static int Factor(PngLayout layout, int minUprightWidth, bool swapsAxes)
    {
        int stored = swapsAxes ? layout.Height : layout.Width;
        int factor = 1;
        while (factor < 8 && Ceiling(stored, factor + 1) >= minUprightWidth)
        {
            factor++;
        }

        return factor;
    }

    public static SKSizeI Size(PngLayout layout, int factor) => new(Ceiling(layout.Width, factor), Ceiling(layout.Height, factor));

    public static SKBitmap Decode(SKData png, PngLayout layout, int factor)
    {
        SKSizeI size = Size(layout, factor);
        SKAlphaType alpha = layout.HasAlpha ? SKAlphaType.Premul : SKAlphaType.Opaque;
        var bitmap = new SKBitmap(new SKImageInfo(size.Width, size.Height, SKImageInfo.PlatformColorType, alpha, SKColorSpace.CreateSrgb()));
        try
        {
            DecodeInto(png, layout, factor, bitmap);
            bitmap.SetImmutable();
            return bitmap;
        }
        catch (InvalidDataException)
        {
            bitmap.Dispose();
            throw ImageRejectedException.Corrupt();
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }

    private static void DecodeInto(SKData png, PngLayout layout, int factor, SKBitmap bitmap)
    {
        int channels = layout.Channels;
        int rowBytes = layout.Width * channels;
        bool bgra = bitmap.ColorType == SKColorType.Bgra8888;
        var previous = new byte[rowBytes];
        var current = new byte[rowBytes + 1];
        var sums = new uint[bitmap.Width * 4];
        int outWidth = bitmap.Width;
        using var pixels = new ZLibStream(new ConcatenatedStream(png, layout.ImageData), CompressionMode.Decompress);
        for (int y = 0; y < layout.Height; y++)
        {
            if (pixels.ReadAtLeast(current, current.Length, throwOnEndOfStream: false) < current.Length)
            {
                throw new InvalidDataException("short pixel stream");
            }

            Span<byte> row = current.AsSpan(1);
            Unfilter(current[0], row, previous, channels);
            Accumulate(row, layout, sums, factor);
            row.CopyTo(previous);
            int rowInBlock = y % factor;
            if (rowInBlock == factor - 1 || y == layout.Height - 1)
            {
                int blockRows = rowInBlock + 1;
                Span<byte> target = bitmap.GetPixelSpan().Slice((y / factor) * bitmap.RowBytes, outWidth * 4);
                for (int x = 0; x < outWidth; x++)
                {
                    uint count = (uint)(blockRows * Math.Min(factor, layout.Width - (x * factor)));
                    uint half = count / 2;
                    byte r = (byte)((sums[4 * x] + half) / count), g = (byte)((sums[(4 * x) + 1] + half) / count);
                    byte b = (byte)((sums[(4 * x) + 2] + half) / count), a = (byte)((sums[(4 * x) + 3] + half) / count);
                    target[4 * x] = bgra ? b : r;
                    target[(4 * x) + 1] = g;
                    target[(4 * x) + 2] = bgra ? r : b;
                    target[(4 * x) + 3] = a;
                }

                Array.Clear(sums);
            }
        }

        // Every row is there: what follows must still inflate and end with a right checksum (libpng ignores data
        // after the rows; a bounded amount of it is read, as the structure check did, so a bomb there costs nothing).
        Span<byte> rest = current;
        int extra = 0;
        int read;
        while ((read = pixels.Read(rest)) > 0 && (extra += read) <= 4 * 1024 * 1024)
        {
        }
    }

    // Adds the row's premultiplied RGBA to the sums of the output columns its pixels fall in.
    private static void Accumulate(ReadOnlySpan<byte> row, PngLayout layout, uint[] sums, int factor)
    {
        int width = layout.Width;
        for (int x = 0; x < width; x++)
        {
            uint r, g, b, a;
            switch (layout.ColourType)
            {
                case 0: r = g = b = row[x]; a = 255; break;
                case 2: r = row[3 * x]; g = row[(3 * x) + 1]; b = row[(3 * x) + 2]; a = 255; break;
                case 3:
                    uint entry = layout.Palette![row[x]];
                    a = entry >> 24; r = (entry >> 16) & 0xFF; g = (entry >> 8) & 0xFF; b = entry & 0xFF;
                    break;
                case 4: r = g = b = row[2 * x]; a = row[(2 * x) + 1]; break;
                default: r = row[4 * x]; g = row[(4 * x) + 1]; b = row[(4 * x) + 2]; a = row[(4 * x) + 3]; break;
            }

            if (a != 255)
            {
                r = Premultiply(r, a);
                g = Premultiply(g, a);
                b = Premultiply(b, a);
            }

            int o = 4 * (x / factor);
            sums[o] += r;
            sums[o + 1] += g;
            sums[o + 2] += b;
            sums[o + 3] += a;
        }
    }

    private static uint Premultiply(uint c, uint a)
    {
        uint t = (c * a) + 128;
        return (t + (t >> 8)) >> 8; // round(c * a / 255)
    }

    private static void Unfilter(byte filter, Span<byte> row, ReadOnlySpan<byte> above, int bpp)
    {
        switch (filter)
        {
            case 0:
                break;
            case 1:
                for (int i = bpp; i < row.Length; i++) { row[i] += row[i - bpp]; }
                break;
            case 2:
                AddUp(row, above);
                break;
            case 3:
                for (int i = 0; i < bpp; i++) { row[i] += (byte)(above[i] >> 1); }
                for (int i = bpp; i < row.Length; i++) { row[i] += (byte)((row[i - bpp] + above[i]) >> 1); }
                break;
            case 4:
                for (int i = 0; i < bpp; i++) { row[i] += above[i]; }
                for (int i = bpp; i < row.Length; i++)
                {
                    int a = row[i - bpp], b = above[i], c = above[i - bpp];
                    int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                    row[i] += (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
                }

                break;
            default:
                throw new InvalidDataException("filter type out of range");
        }
    }

    // Up filter: byte-wise wrap-around add, a vector at a time.
    private static void AddUp(Span<byte> row, ReadOnlySpan<byte> above)
    {
        int i = 0;
        for (; i <= row.Length - Vector<byte>.Count; i += Vector<byte>.Count)
        {
            (new Vector<byte>(row[i..]) + new Vector<byte>(above[i..])).CopyTo(row[i..]);
        }

        for (; i < row.Length; i++) { row[i] += above[i]; }
    }

    private static int Ceiling(int value, int divisor) => (value + divisor - 1) / divisor;
}
