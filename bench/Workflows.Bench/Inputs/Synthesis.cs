using NetVips;

namespace Workflows.Bench.Inputs;

/// <summary>
/// Seeded, photo-like pictures from Perlin noise: luma with soft shading, hard-edged shapes, fine texture and sensor
/// noise; chroma at low frequency as in a camera image. Feature sizes scale with the width (a smaller photo of the
/// same kind of scene), except the finest texture and the noise, which are per pixel as in a camera. They compress
/// and decode like camera photos, which a flat test card does not. The same seed always gives the same pixels.
/// </summary>
internal static class Synthesis
{
    public static Image Photo(int width, int height, int seed, bool detailed)
    {
        double scale = width / 4000.0;
        Image Noise(int cell, int salt) =>
            Image.Perlin(width, height, cellSize: cell <= 9 ? cell : Math.Max(10, (int)(cell * scale)), seed: seed * 100 + salt);

        Image luma = detailed
            ? 112 + Noise(900, 1) * 70 + (Noise(260, 2) > 0).Ifthenelse(38, 0) + Noise(48, 3) * 30 + Noise(9, 4) * 22
              + Image.Gaussnoise(width, height, mean: 0, sigma: 4, seed: seed * 100 + 5)
            : 120 + Noise(1500, 1) * 80 + Noise(400, 2) * 25
              + Image.Gaussnoise(width, height, mean: 0, sigma: 1, seed: seed * 100 + 5);
        Image cb = Noise(1200, 6) * 60 + Noise(180, 7) * (detailed ? 25 : 8);
        Image cr = Noise(1100, 8) * 60 + Noise(210, 9) * (detailed ? 25 : 8);

        // BT.601 YCbCr to RGB.
        Image red = luma + cr * 1.402;
        Image green = luma - cb * 0.344 - cr * 0.714;
        Image blue = luma + cb * 1.772;
        return red.Bandjoin(green, blue)
            .Cast(Enums.BandFormat.Uchar)
            .Copy(interpretation: Enums.Interpretation.Srgb);
    }
}
