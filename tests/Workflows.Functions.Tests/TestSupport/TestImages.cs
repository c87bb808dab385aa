using System.Text;
using SkiaSharp;

namespace Workflows.Tests.TestSupport;

/// <summary>
/// Images generated in memory for tests: every one has a solid <see cref="Marker"/> block in its stored top-left
/// corner (an eighth of each side) on a grey gradient, so a test can tell where that corner ended up.
/// </summary>
public static partial class TestImages
{
    public static readonly SKColor Marker = new(230, 20, 20);

    public static byte[] Jpeg(int width, int height, int quality = 90) => Encode(Paint(width, height), SKEncodedImageFormat.Jpeg, quality);

    public static byte[] Png(int width, int height) => Encode(Paint(width, height), SKEncodedImageFormat.Png, 100);

    public static byte[] Webp(int width, int height) => Encode(Paint(width, height), SKEncodedImageFormat.Webp, 90);

    /// <summary>Skia has no GIF or BMP encoder: these are written by hand (see TestImagesLegacyFormats.cs).</summary>
    public static byte[] Gif(int width, int height)
    {
        using SKBitmap bitmap = Paint(width, height);
        return TestImagesLegacyFormats.Gif(bitmap);
    }

    public static byte[] Bmp(int width, int height)
    {
        using SKBitmap bitmap = Paint(width, height);
        return TestImagesLegacyFormats.Bmp(bitmap);
    }

    /// <summary>Two-pixel black and white columns: any resampler that skips pixels shows up as black or white.</summary>
    public static byte[] StripesPng(int width, int height)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, x / 2 % 2 == 0 ? SKColors.Black : SKColors.White);
            }
        }

        return Encode(bitmap, SKEncodedImageFormat.Png, 100);
    }

    /// <summary>A PNG that is transparent except for the marker block.</summary>
    public static byte[] TransparentPng(int width, int height)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        bitmap.Erase(SKColors.Transparent);
        using (var canvas = new SKCanvas(bitmap))
        using (var marker = new SKPaint { Color = Marker })
        {
            canvas.DrawRect(0, 0, Math.Max(1, width / 8), Math.Max(1, height / 8), marker);
        }

        return Encode(bitmap, SKEncodedImageFormat.Png, 100);
    }

    /// <summary>A JPEG carrying a real EXIF APP1 segment (orientation, camera, time, GPS): see TestImagesExif.cs.</summary>
    public static byte[] JpegWithExif(int width, int height, TestExif exif) => TestImagesExif.Insert(Jpeg(width, height), exif);

    /// <summary>A noisy, photo-like image: compresses and decodes like a camera JPEG, unlike a flat test card.</summary>
    public static byte[] PhotoJpeg(int width, int height, int quality = 90, int seed = 42) =>
        Encode(Photo(width, height, seed), SKEncodedImageFormat.Jpeg, quality);

    /// <summary>The pixels of <see cref="PhotoJpeg"/> as a PNG (Skia's encoder: 8 KB IDAT chunks).</summary>
    public static byte[] PhotoPng(int width, int height, int seed = 42) => Encode(Photo(width, height, seed), SKEncodedImageFormat.Png, 100);

    /// <summary>The noisy, photo-like pixels of <see cref="PhotoJpeg"/>.</summary>
    internal static SKBitmap Photo(int width, int height, int seed)
    {
        SKBitmap bitmap = Paint(width, height);
        var random = new Random(seed);
        Span<byte> pixels = bitmap.GetPixelSpan();
        for (int i = 0; i < pixels.Length; i++)
        {
            if (i % 4 != 3)
            {
                pixels[i] = (byte)Math.Clamp(pixels[i] + random.Next(-24, 25), 0, 255);
            }
        }

        return bitmap;
    }

    public static byte[] Truncated(byte[] image, double keep = 0.5) => image[..(int)(image.Length * keep)];

    public static byte[] Empty() => [];

    public static byte[] Text() => Encoding.UTF8.GetBytes("This is not a photo, just a note saved as holiday.jpg.\n");

    /// <summary>Decodes an encoded image (no orientation applied) to read pixels back.</summary>
    public static SKBitmap Decode(byte[] encoded) =>
        SKBitmap.Decode(encoded) ?? throw new InvalidOperationException("Skia could not decode the image.");

    /// <summary>True when <paramref name="actual"/> is within <paramref name="tolerance"/> per channel (lossy codecs).</summary>
    public static bool IsNear(SKColor actual, SKColor expected, int tolerance = 40) =>
        Math.Abs(actual.Red - expected.Red) <= tolerance
        && Math.Abs(actual.Green - expected.Green) <= tolerance
        && Math.Abs(actual.Blue - expected.Blue) <= tolerance;

    internal static SKBitmap Paint(int width, int height)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(bitmap);
        using var gradient = new SKPaint
        {
            Shader = SKShader.CreateLinearGradient(
                new SKPoint(0, 0), new SKPoint(width, height),
                [new SKColor(90, 110, 130), new SKColor(170, 180, 160)], SKShaderTileMode.Clamp),
        };
        canvas.DrawRect(0, 0, width, height, gradient);
        using var marker = new SKPaint { Color = Marker };
        canvas.DrawRect(0, 0, Math.Max(1, width / 8), Math.Max(1, height / 8), marker);
        return bitmap;
    }

    private static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality)
    {
        using (bitmap)
        {
            using SKData data = bitmap.Encode(format, quality) ?? throw new InvalidOperationException($"Skia cannot encode {format}.");
            return data.ToArray();
        }
    }
}
