using NetVips;

namespace Workflows.Bench.Inputs;

/// <summary>
/// The inputs the benchmark generates (seeded, so every run and machine renders the same pixels) and caches. Every
/// 12 MP input shares one source picture, so rotated, progressive, PNG and the other formats differ from the
/// baseline JPEG only in how they are stored. A format the app gains later (HEIC, JXL, DNG, PSD) slots in as one
/// more entry with a writer, or as a sample file passed with <c>--extra DIR</c>.
/// </summary>
internal static class InputCatalog
{
    // Bump when synthesis or a writer changes: cached files of an older version are not reused.
    private const string Version = "v2";

    private static readonly Picture Detailed12 = new(4000, 3000, 1, Detailed: true);

    public static IReadOnlyList<InputSpec> All { get; } =
    [
        new("jpeg-12mp", "12 MP JPEG q92 4:2:0, detailed", "jpeg", 1, _ => Detailed12, InputWriters.Jpeg(92)),
        new("jpeg-12mp-smooth", "12 MP JPEG q92 4:2:0, smooth", "jpeg", 1, _ => Detailed12 with { Detailed = false }, InputWriters.Jpeg(92)),
        new("jpeg-24mp", "24 MP JPEG q92 4:2:0, detailed", "jpeg", 1, _ => new Picture(6000, 4000, 2, Detailed: true), InputWriters.Jpeg(92)),
        new("jpeg-12mp-progressive", "12 MP progressive JPEG (pixels of jpeg-12mp)", "jpeg", 1, _ => Detailed12, InputWriters.Jpeg(92, progressive: true)),
        new("jpeg-12mp-rotated", "12 MP JPEG, EXIF orientation 6 (pixels of jpeg-12mp)", "jpeg", 1, _ => Detailed12, InputWriters.Jpeg(92, orientation: 6)),
        new("jpeg-12mp-portrait", "12 MP portrait JPEG stored upright (jpeg-12mp-rotated's pixels, turned)", "jpeg", 1, _ => Detailed12, InputWriters.Jpeg(92, upright: true)),
        new("png-12mp", "12 MP PNG, 8-bit RGB", "png", 1, _ => Detailed12, InputWriters.Png(tagged: false)),
        new("png-12mp-gama", "12 MP PNG with sRGB-valued gAMA + cHRM chunks", "png", 1, _ => Detailed12, InputWriters.Png(tagged: true)),
        new("jpeg-1mp-x12", "twelve 1200 × 900 JPEG q90 photos", "jpeg", 12, i => new Picture(1200, 900, 10 + i, Detailed: i % 3 != 0), InputWriters.Jpeg(90)),
        new("webp-12mp", "12 MP lossy WebP q90", "webp", 1, _ => Detailed12, InputWriters.Webp(90)),
        new("gif-12mp", "12 MP GIF (256 colours, dithered)", "gif", 1, _ => Detailed12, InputWriters.Gif),
        new("bmp-12mp", "12 MP BMP, 24-bit", "bmp", 1, _ => Detailed12, InputWriters.Bmp),
        new("tiff-12mp", "12 MP TIFF, LZW + horizontal predictor", "tiff", 1, _ => Detailed12, InputWriters.Tiff),
        new("avif-12mp", "12 MP AVIF q60", "avif", 1, _ => Detailed12, InputWriters.Avif),
    ];

    /// <summary>Generates what is missing under <paramref name="cacheDirectory"/> and returns the inputs; at most <paramref name="maxFiles"/> per class.</summary>
    public static BenchInput Prepare(InputSpec spec, string cacheDirectory, int maxFiles = int.MaxValue)
    {
        string folder = Path.Combine(cacheDirectory, "inputs", Version, spec.Id);
        Directory.CreateDirectory(folder);
        List<string> files = [];
        for (int i = 0; i < Math.Min(spec.Count, maxFiles); i++)
        {
            string path = Path.Combine(folder, $"{i}.{spec.Format}");
            if (!File.Exists(path))
            {
                Picture picture = spec.Picture(i);
                Console.Error.WriteLine($"generating {spec.Id} #{i} ({picture.Width} × {picture.Height})");
                using Image image = Synthesis.Photo(picture.Width, picture.Height, picture.Seed, picture.Detailed);
                string temporary = path + ".tmp";
                spec.Write(image, temporary);
                File.Move(temporary, path, overwrite: true);
            }

            files.Add(path);
        }

        Picture first = spec.Picture(0);
        return new BenchInput(spec.Id, spec.Description, spec.Format, files) { Megapixels = first.Width * (double)first.Height / 1e6 };
    }

    /// <summary>Every file of a folder as an input class of its own (e.g. real HEIC or DNG samples).</summary>
    public static IEnumerable<BenchInput> Extra(string folder) =>
        Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal).Select(path =>
            new BenchInput($"extra-{Path.GetFileName(path)}", $"sample file {Path.GetFileName(path)}", BenchInput.FormatOf(path), [path])
            {
                Megapixels = Megapixels(path),
            });

    private static double Megapixels(string path)
    {
        try
        {
            using Image header = Image.NewFromFile(path, access: Enums.Access.Sequential);
            return header.Width * (double)header.Height / 1e6;
        }
        catch (VipsException)
        {
            return 0; // a format libvips cannot read here (e.g. PSD): no memory target row
        }
    }
}

/// <summary>How one input class is made: its picture per file index and the writer for its format.</summary>
internal sealed record InputSpec(string Id, string Description, string Format, int Count, Func<int, Picture> Picture, Action<Image, string> Write);

internal sealed record Picture(int Width, int Height, int Seed, bool Detailed);
