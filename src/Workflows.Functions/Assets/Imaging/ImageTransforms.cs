using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SkiaSharp;
using Workflows.Assets.Imaging.Skia;

namespace Workflows.Assets.Imaging;

/// <summary>
/// Orientation and resampling: flips in the same draw as the downscale; quarter turns (EXIF 5-8) after it, on the small result.
/// </summary>
internal static class ImageTransforms
{
    // Bilinear is exact for steps of at most 2:1 (at exactly 2:1 it is a 2×2 box average) and 5-10x cheaper
    // than Mitchell cubic in Skia's raster pipeline (measured: 2000→1600 px 8-14 ms against 66-91 ms). Larger
    // reductions go through halvings so no source pixel is skipped (cheaper than building mipmaps).
    private static readonly SKSamplingOptions Bilinear = new(SKFilterMode.Linear, SKMipmapMode.None);

    /// <summary>
    /// Draws <paramref name="source"/> turned upright by <paramref name="origin"/> and scaled to exactly
    /// <paramref name="width"/> × <paramref name="height"/> onto <paramref name="background"/>
    /// (white for JPEG, which has no alpha; transparent for WebP). The caller keeps ownership of the source.
    /// </summary>
    public static SKBitmap Draw(SKBitmap source, SKEncodedOrigin origin, int width, int height, SKColor background)
    {
        if (SkiaDecoding.SwapsAxes(origin) && source.BytesPerPixel == 4)
        {
            // Skia's raster pipeline resamples a turned image ~4x slower than an upright one (measured: 78 against
            // 17 ms to 1600 px), so scale in the stored orientation and turn the small result exactly.
            using SKBitmap scaled = Draw(source, SKEncodedOrigin.TopLeft, height, width, background);
            return QuarterTurn(scaled, origin);
        }

        SKBitmap current = source;
        try
        {
            while (UprightWidth(current, origin) > 2 * width)
            {
                int halfWidth = (UprightWidth(current, origin) + 1) / 2;
                int halfHeight = (UprightHeight(current, origin) + 1) / 2;
                SKBitmap half = DrawOnce(current, origin, halfWidth, halfHeight, background);
                Release(current, source);
                current = half;
                origin = SKEncodedOrigin.TopLeft;
            }

            return DrawOnce(current, origin, width, height, background);
        }
        finally
        {
            Release(current, source);
        }
    }

    private static SKBitmap DrawOnce(SKBitmap source, SKEncodedOrigin origin, int width, int height, SKColor background)
    {
        SKMatrix matrix = Orientation(origin, source.Width, source.Height).PostConcat(
            SKMatrix.CreateScale(width / (float)UprightWidth(source, origin), height / (float)UprightHeight(source, origin)));

        // Opaque output lets the WebP encoder skip the alpha plane; only a transparent source keeps alpha.
        SKAlphaType alpha = background.Alpha == 255 || source.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul;
        var target = new SKBitmap(new SKImageInfo(width, height, source.ColorType, alpha, source.ColorSpace));
        try
        {
            using var canvas = new SKCanvas(target);
            canvas.Clear(background);
            canvas.SetMatrix(matrix);
            using SKImage image = SKImage.FromBitmap(source); // shares the pixels: sources are immutable
            canvas.DrawImage(image, 0, 0, Bilinear);
            target.SetImmutable();
            return target;
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Turns <paramref name="stored"/> upright for EXIF orientations 5-8 (a quarter turn, mirrored for 5 and 7): a
    /// pixel copy in cache-sized tiles, exact, no resampling. Upright pixel (u, v) is stored pixel (v, u), each
    /// axis read forwards or backwards.
    /// </summary>
    private static SKBitmap QuarterTurn(SKBitmap stored, SKEncodedOrigin origin)
    {
        const int Tile = 32;
        int storedWidth = stored.Width;
        int storedHeight = stored.Height;
        bool xBackwards = origin is SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        bool yBackwards = origin is SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom;
        var upright = new SKBitmap(new SKImageInfo(storedHeight, storedWidth, stored.ColorType, stored.AlphaType, stored.ColorSpace));
        try
        {
            ref uint from = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<byte, uint>(stored.GetPixelSpan()));
            ref uint to = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<byte, uint>(upright.GetPixelSpan()));
            for (int v0 = 0; v0 < storedWidth; v0 += Tile)
            {
                for (int u0 = 0; u0 < storedHeight; u0 += Tile)
                {
                    for (int v = v0, vEnd = Math.Min(v0 + Tile, storedWidth); v < vEnd; v++)
                    {
                        int sx = xBackwards ? storedWidth - 1 - v : v;
                        ref uint row = ref Unsafe.Add(ref to, (nint)v * storedHeight);
                        for (int u = u0, uEnd = Math.Min(u0 + Tile, storedHeight); u < uEnd; u++)
                        {
                            int sy = yBackwards ? storedHeight - 1 - u : u;
                            Unsafe.Add(ref row, u) = Unsafe.Add(ref from, ((nint)sy * storedWidth) + sx);
                        }
                    }
                }
            }

            upright.SetImmutable();
            return upright;
        }
        catch
        {
            upright.Dispose();
            throw;
        }
    }

    private static void Release(SKBitmap intermediate, SKBitmap source)
    {
        if (!ReferenceEquals(intermediate, source))
        {
            intermediate.Dispose();
        }
    }

    private static int UprightWidth(SKBitmap bitmap, SKEncodedOrigin origin) =>
        SkiaDecoding.SwapsAxes(origin) ? bitmap.Height : bitmap.Width;

    private static int UprightHeight(SKBitmap bitmap, SKEncodedOrigin origin) =>
        SkiaDecoding.SwapsAxes(origin) ? bitmap.Width : bitmap.Height;

    /// <summary>Maps stored pixel coordinates to upright ones for the 8 EXIF orientations.</summary>
    internal static SKMatrix Orientation(SKEncodedOrigin origin, float w, float h) => origin switch
    {
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
        _ => SKMatrix.Identity,
    };
}
