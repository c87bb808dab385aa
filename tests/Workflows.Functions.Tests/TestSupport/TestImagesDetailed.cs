using SkiaSharp;

namespace Workflows.Tests.TestSupport;

public static partial class TestImages
{
    /// <summary><see cref="DetailedPhoto"/> stored as a 4:2:0 JPEG, as the bench's 12 MP inputs are (q92).</summary>
    public static byte[] DetailedPhotoJpeg(int width, int height, int seed = 42, int quality = 92)
    {
        using SKBitmap photo = DetailedPhoto(width, height, seed);
        return Encode(photo, SKEncodedImageFormat.Jpeg, quality);
    }

    /// <summary>
    /// A detailed, photo-like picture as the bench's inputs are made (bench/Workflows.Bench/Inputs/Synthesis.cs, there
    /// with libvips' Perlin noise, here with seeded value noise): soft shading, hard-edged shapes, texture at a few
    /// scales and sensor noise in luma, low-frequency chroma. Encoders spend bits on it as on a camera photo; the
    /// same seed always gives the same pixels.
    /// </summary>
    internal static SKBitmap DetailedPhoto(int width, int height, int seed)
    {
        double scale = width / 4000.0;
        var random = new Random(seed);
        Func<int, int, double> shading = ValueNoise(Cell(900), random), shapes = ValueNoise(Cell(260), random),
            texture = ValueNoise(Cell(48), random), fine = ValueNoise(9, random), cb = ValueNoise(Cell(1200), random), cr = ValueNoise(Cell(1100), random);
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        Span<byte> pixels = bitmap.GetPixelSpan();
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double luma = 112 + (shading(x, y) * 70) + (shapes(x, y) > 0 ? 38 : 0) + (texture(x, y) * 30) + (fine(x, y) * 22) + (Gaussian(random) * 4);
                double blue = cb(x, y) * 60, red = cr(x, y) * 60; // BT.601 YCbCr to RGB
                int i = ((y * width) + x) * 4;
                pixels[i] = Byte(luma + (red * 1.402));
                pixels[i + 1] = Byte(luma - (blue * 0.344) - (red * 0.714));
                pixels[i + 2] = Byte(luma + (blue * 1.772));
                pixels[i + 3] = 255;
            }
        }

        return bitmap;

        int Cell(int cell) => Math.Max(10, (int)(cell * scale));
    }

    /// <summary>Values in [-1, 1] on a lattice of <paramref name="cell"/> px, smoothly interpolated between.</summary>
    private static Func<int, int, double> ValueNoise(int cell, Random random)
    {
        double[] lattice = Enumerable.Range(0, 4096).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
        double At(int gx, int gy) => lattice[((gx * 73_856_093) ^ (gy * 19_349_663)) & 4095];
        return (x, y) =>
        {
            double fx = (double)x / cell, fy = (double)y / cell;
            int gx = (int)fx, gy = (int)fy;
            double tx = Smooth(fx - gx), ty = Smooth(fy - gy);
            double top = At(gx, gy) + ((At(gx + 1, gy) - At(gx, gy)) * tx);
            double bottom = At(gx, gy + 1) + ((At(gx + 1, gy + 1) - At(gx, gy + 1)) * tx);
            return top + ((bottom - top) * ty);
        };

        static double Smooth(double t) => t * t * (3 - (2 * t));
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static byte Byte(double value) => (byte)Math.Clamp(Math.Round(value), 0, 255);
}
