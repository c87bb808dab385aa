using System.Runtime.InteropServices;
using SkiaSharp;
using Workflows.Assets.Imaging;

namespace Workflows.Bench.Levers;

/// <summary>
/// The rotated-photo lever: resample in the stored orientation (Skia's fast scale-only path), then turn the small
/// result by an exact quarter turn, a pixel copy in cache-sized tiles.
/// </summary>
internal static class QuarterTurn
{
    private const int Tile = 32;

    /// <summary>For EXIF orientations 5-8; <paramref name="uprightWidth"/> × <paramref name="uprightHeight"/> is the result.</summary>
    public static SKBitmap ScaleThenTurn(SKBitmap decoded, SKEncodedOrigin origin, int uprightWidth, int uprightHeight)
    {
        using SKBitmap scaled = ImageTransforms.Draw(decoded, SKEncodedOrigin.TopLeft, uprightHeight, uprightWidth, SKColors.White);
        var turned = new SKBitmap(new SKImageInfo(uprightWidth, uprightHeight, scaled.ColorType, scaled.AlphaType, scaled.ColorSpace));
        Turn(MemoryMarshal.Cast<byte, uint>(scaled.GetPixelSpan()), scaled.Width, scaled.Height, MemoryMarshal.Cast<byte, uint>(turned.GetPixelSpan()), origin);
        turned.SetImmutable();
        return turned;
    }

    /// <summary>Upright pixel (u, v) takes stored pixel (sx, sy): sx runs with v, sy with u, each forwards or backwards.</summary>
    private static void Turn(ReadOnlySpan<uint> stored, int storedWidth, int storedHeight, Span<uint> upright, SKEncodedOrigin origin)
    {
        bool xBackwards = origin is SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        bool yBackwards = origin is SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom;
        int uprightWidth = storedHeight;
        for (int v0 = 0; v0 < storedWidth; v0 += Tile)
        {
            for (int u0 = 0; u0 < storedHeight; u0 += Tile)
            {
                for (int v = v0; v < Math.Min(v0 + Tile, storedWidth); v++)
                {
                    int sx = xBackwards ? storedWidth - 1 - v : v;
                    Span<uint> row = upright.Slice(v * uprightWidth, uprightWidth);
                    for (int u = u0; u < Math.Min(u0 + Tile, storedHeight); u++)
                    {
                        int sy = yBackwards ? storedHeight - 1 - u : u;
                        row[u] = stored[sy * storedWidth + sx];
                    }
                }
            }
        }
    }
}
