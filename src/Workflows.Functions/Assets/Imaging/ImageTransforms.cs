using SkiaSharp;

namespace Workflows.Assets.Imaging;

/// <summary>Orientation and resampling in one draw: the EXIF turn and the first downscale cost a single pass.</summary>
internal static class ImageTransforms
{
    /// <summary>
    /// Draws <paramref name="source"/> turned upright by <paramref name="origin"/> and scaled to exactly
    /// <paramref name="width"/> × <paramref name="height"/> onto <paramref name="background"/>
    /// (white for JPEG, which has no alpha; transparent for WebP).
    /// </summary>
    public static SKBitmap Draw(SKBitmap source, SKEncodedOrigin origin, int width, int height, SKColor background)
    {
        bool swap = SkiaDecoding.SwapsAxes(origin);
        float uprightWidth = swap ? source.Height : source.Width;
        float uprightHeight = swap ? source.Width : source.Height;

        SKMatrix matrix = Orientation(origin, source.Width, source.Height)
            .PostConcat(SKMatrix.CreateScale(width / uprightWidth, height / uprightHeight));

        SKAlphaType alpha = background.Alpha == 255 ? SKAlphaType.Opaque : SKAlphaType.Premul;
        var target = new SKBitmap(new SKImageInfo(width, height, source.ColorType, alpha, source.ColorSpace));
        try
        {
            using var canvas = new SKCanvas(target);
            canvas.Clear(background);
            canvas.SetMatrix(matrix);
            using SKImage image = SKImage.FromBitmap(source);
            canvas.DrawImage(image, 0, 0, Sampling(uprightWidth / width));
            return target;
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }

    // Mitchell cubic is sharp and alias-free down to 1/2; past that it skips source pixels, so average through
    // mipmaps instead (the 800 -> 200 step, or a PNG original straight to 1600).
    private static SKSamplingOptions Sampling(float reduction) => reduction <= 2.01f
        ? new SKSamplingOptions(SKCubicResampler.Mitchell)
        : new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear);

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
