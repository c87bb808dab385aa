using System.Runtime.CompilerServices;
using System.IO.Compression;
using SkiaSharp;
using Workflows.Assets.Imaging.Skia;

namespace Workflows.Assets.Imaging.Png;

/// <summary>
/// Decodes a <see cref="PngLayout"/> row by row: inflates the IDAT data as the rows are needed (once: the pixel stream
/// checks of <see cref="PngStructure"/> happen here), unfilters each row, premultiplies alpha as Skia's decode does,
/// and box-averages every <c>factor</c> × <c>factor</c> block into a reduced bitmap as the rows arrive, so the
/// full-size bitmap never exists. A bad filter type, a stream short of the rows or failing its zlib checksum rejects
/// the image as corrupt, as the structure check does. The rendering's cancellation is checked every 64 rows.
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

    public static SKBitmap Decode(SKData png, PngLayout layout, int factor, CancellationToken cancellationToken = default)
    {
        SKSizeI size = Size(layout, factor);
        SKAlphaType alpha = layout.HasAlpha ? SKAlphaType.Premul : SKAlphaType.Opaque;
        var bitmap = new SKBitmap(new SKImageInfo(size.Width, size.Height, SKImageInfo.PlatformColorType, alpha, SKColorSpace.CreateSrgb()));
        try
        {
            DecodeInto(png, layout, factor, bitmap, cancellationToken);
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DecodeInto(SKData png, PngLayout layout, int factor, SKBitmap bitmap, CancellationToken cancellationToken)
    {
        int bpp = layout.Channels;
        int rowBytes = layout.Width * bpp;
        var averager = new PngBlockAverager(layout, factor, bitmap.ColorType == SKColorType.Bgra8888);

        // Each buffer holds a row's filter-type byte, then the row; they swap, so the row above stays for Up, Average and Paeth.
        var previous = new byte[rowBytes + 1];
        var current = new byte[rowBytes + 1];
        Span<byte> pixels = bitmap.GetPixelSpan();
        using var stream = new ZLibStream(new ConcatenatedStream(png, layout.ImageData), CompressionMode.Decompress);
        for (int y = 0; y < layout.Height; y++)
        {
            if (y % 64 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (stream.ReadAtLeast(current, current.Length, throwOnEndOfStream: false) < current.Length)
            {
                throw new InvalidDataException("short pixel stream");
            }

            Span<byte> row = current.AsSpan(1);
            PngUnfilter.Unfilter(current[0], row, previous.AsSpan(1), bpp);
            averager.Add(row);
            if (y % factor == factor - 1 || y == layout.Height - 1)
            {
                averager.Write(pixels.Slice(y / factor * bitmap.RowBytes, bitmap.RowBytes));
            }

            (previous, current) = (current, previous);
        }

        // Every row is there: what follows must still inflate and end with a right checksum (libpng ignores data
        // after the rows; a bounded amount of it is read, as the structure check did, so a bomb there costs nothing).
        Span<byte> rest = current;
        int extra = 0;
        int read;
        while ((read = stream.Read(rest)) > 0 && (extra += read) <= 4 * 1024 * 1024)
        {
        }
    }

    private static int Ceiling(int value, int divisor) => (value + divisor - 1) / divisor;
}
