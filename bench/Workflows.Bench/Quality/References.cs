using System.Globalization;
using ImageMagick;
using NetVips;
using Workflows.Assets.Imaging;
using Workflows.Bench.Inputs;
using Workflows.Bench.Reporting;
using Workflows.Bench.Variants;

namespace Workflows.Bench.Quality;

/// <summary>
/// Per input file, made once and cached: the 800 px Lanczos3 reference the quality gate compares with, and the
/// exact-size pixels of every profile width (PPM) that the floor encodes. Both come from a full decode, turned
/// upright, resized in one Lanczos3 step (no box pre-shrink).
/// </summary>
internal sealed class References(string cacheDirectory)
{
    public const int GateWidth = 800;

    private const string Version = "v2";  // v2: references follow the profile's fits (longest edge by default)

    // Formats this libvips build cannot decode (HEIC needs HEVC; it has no JPEG XL or camera-raw loader).
    private static readonly string[] MagickOnly = ["heic", "jxl", "dng", "cr2", "cr3", "nef", "arw"];

    /// <summary>The folder holding <paramref name="inputPath"/>'s references (same in the driver and in workers).</summary>
    public string FolderFor(string inputPath)
    {
        string parent = Path.GetFileName(Path.GetDirectoryName(inputPath)) ?? "";
        string length = new FileInfo(inputPath).Length.ToString("x", CultureInfo.InvariantCulture);
        return Path.Combine(cacheDirectory, "refs", Version, $"{parent}-{Path.GetFileName(inputPath)}-{length}");
    }

    public string GatePath(string inputPath) => Path.Combine(FolderFor(inputPath), $"{GateWidth}.png");

    public string ExactPath(string inputPath, RenditionSize profileSize) => Path.Combine(FolderFor(inputPath), $"{profileSize.Name}.ppm");

    public void Prepare(BenchInput input)
    {
        foreach (string file in input.Files)
        {
            if (File.Exists(GatePath(file)))
            {
                continue;
            }

            Console.Error.WriteLine($"reference for {input.Id}: {Path.GetFileName(file)}");
            string folder = FolderFor(file);
            Directory.CreateDirectory(folder);
            using Image upright = Decode(file);
            foreach (RenditionSize profileSize in Profile.Chain(RenditionFormat.Jpeg).Sizes)
            {
                using Image exact = Lanczos(upright, profileSize);
                WritePpm(exact, ExactPath(file, profileSize));
            }

            using Image gate = Lanczos(upright, RenditionSize.LongestEdge(GateWidth));
            gate.Pngsave(GatePath(file) + ".tmp.png");
            File.Move(GatePath(file) + ".tmp.png", GatePath(file), overwrite: true);
        }
    }

    /// <summary>
    /// Full decode, upright, flattened on white, 8-bit sRGB, held in memory (BMP, which libvips lacks, through
    /// ImageSharp; HEIC, JPEG XL and camera raw through ImageMagick at full size with its defaults: a raw is
    /// demosaiced with libraw's AHD).
    /// </summary>
    internal static Image Decode(string path)
    {
        if (MagickOnly.Contains(BenchInput.FormatOf(path)))
        {
            using var magick = new MagickImage(path);
            magick.AutoOrient();
            magick.ColorSpace = ColorSpace.sRGB;
            magick.BackgroundColor = MagickColors.White;
            magick.Alpha(AlphaAction.Remove); // flattened on white, as for the other formats (Normalise)
            using IPixelCollection<byte> pixels = magick.GetPixels();
            byte[] rgb = pixels.ToByteArray(PixelMapping.RGB) ?? throw new InvalidOperationException($"No pixels in {path}.");
            return Image.NewFromMemory(rgb, (int)magick.Width, (int)magick.Height, 3, Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        }

        if (BenchInput.FormatOf(path) == "bmp")
        {
            using var bitmap = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(path);
            byte[] pixels = new byte[bitmap.Width * bitmap.Height * 3];
            bitmap.CopyPixelDataTo(pixels);
            return Image.NewFromMemory(pixels, bitmap.Width, bitmap.Height, 3, Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        }

        using Image loaded = Image.NewFromFile(path);
        return Normalise(loaded.Autorot()).CopyMemory();
    }

    /// <summary>Flattened on white (as the JPEG renditions are), three 8-bit sRGB bands.</summary>
    internal static Image Normalise(Image image)
    {
        Image flat = image.HasAlpha() ? image.Flatten(background: [255, 255, 255]) : image;
        Image srgb = flat.Bands < 3 ? flat.Colourspace(Enums.Interpretation.Srgb) : flat;
        return srgb.Cast(Enums.BandFormat.Uchar);
    }

    // The NetVips native build has no ppmsave.
    private static void WritePpm(Image image, string path)
    {
        using FileStream file = File.Create(path);
        file.Write(System.Text.Encoding.ASCII.GetBytes(Format.Invariant($"P6\n{image.Width} {image.Height}\n255\n")));
        file.Write(image.WriteToMemory<byte>());
    }

    private static Image Lanczos(Image upright, RenditionSize profileSize)
    {
        (int width, int height) = Profile.Fit(profileSize, upright.Width, upright.Height);
        return upright.Resize(width / (double)upright.Width, kernel: Enums.Kernel.Lanczos3, gap: 0, vscale: height / (double)upright.Height);
    }
}
