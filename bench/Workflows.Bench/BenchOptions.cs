using System.Globalization;
using Workflows.Bench.Inputs;

namespace Workflows.Bench;

/// <summary>
/// Command line: <c>--smoke</c> (CI: two 1 MP photos, one round), <c>--quick</c> (default: the main 12 MP classes,
/// three rounds) or <c>--full</c> (every input class and the lever experiments, five rounds); then optionally
/// <c>--rounds N</c>, <c>--inputs id,id</c>, <c>--variants name,name</c>, <c>--levers</c>/<c>--no-levers</c>,
/// <c>--core N</c> (-1: no pinning), <c>--extra DIR</c> (sample files as more inputs), <c>--cache DIR</c>, <c>--report FILE</c>,
/// <c>--webp-grid m1q80,m3q82,…</c> (the levers become the JPEG chain and the WebP chain at each libwebp method and
/// quality listed, on every input, whatever <c>--no-levers</c> says; see <see cref="Workflows.Bench.Levers.LeverCatalog"/>).
/// </summary>
internal sealed record BenchOptions(string Mode, int Rounds, IReadOnlyList<string> InputIds, int MaxFilesPerInput, bool Levers)
{
    /// <summary>Unmeasured runs first: the first keeps the outputs; a second lets tiered JIT settle (runtime and libraries).</summary>
    public int Warmups => Mode == "smoke" ? 1 : 2;

    public IReadOnlyList<string>? VariantNames { get; init; }

    public int? Core { get; init; } = Environment.ProcessorCount - 1;

    public string? ExtraFolder { get; init; }

    public string CacheDirectory { get; init; } = DefaultCache();

    public string? ReportFile { get; init; }

    /// <summary>libwebp (method, quality) pairs of the WebP grid lever; null: the usual levers.</summary>
    public IReadOnlyList<(int Method, int Quality)>? WebpGrid { get; init; }

    public static readonly string[] QuickInputs = ["jpeg-12mp", "jpeg-12mp-rotated", "jpeg-12mp-portrait", "jpeg-12mp-progressive", "png-12mp"];

    public static BenchOptions Parse(string[] args)
    {
        BenchOptions options = args.Contains("--full") ? new("full", 5, InputCatalog.All.Select(s => s.Id).ToList(), int.MaxValue, Levers: true)
            : args.Contains("--smoke") ? new("smoke", 1, ["jpeg-1mp-x12"], 2, Levers: false)
            : new("quick", 3, QuickInputs, int.MaxValue, Levers: false);
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--full" or "--quick" or "--smoke" => options,
                "--rounds" => options with { Rounds = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--inputs" => options with { InputIds = Next().Split(',') },
                "--variants" => options with { VariantNames = Next().Split(',') },
                "--levers" => options with { Levers = true },
                "--no-levers" => options with { Levers = false },
                "--core" => options with { Core = int.Parse(Next(), CultureInfo.InvariantCulture) is >= 0 and var core ? core : null },
                "--extra" => options with { ExtraFolder = Next() },
                "--cache" => options with { CacheDirectory = Path.GetFullPath(Next()) },
                "--report" => options with { ReportFile = Next() },
                "--webp-grid" => options with { WebpGrid = ParseGrid(Next()) },
                _ => throw new ArgumentException($"Unknown option {args[i]} (see README, Performance)."),
            };
        }

        return options;
    }

    /// <summary><c>m1q80,m3q82</c>: libwebp method 0-6 and quality 1-100 per entry.</summary>
    private static List<(int Method, int Quality)> ParseGrid(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(entry =>
            entry is ['m', var method and >= '0' and <= '6', 'q', .. var quality] && int.TryParse(quality, CultureInfo.InvariantCulture, out int q) && q is >= 1 and <= 100
                ? (method - '0', q)
                : throw new ArgumentException($"--webp-grid: '{entry}' is not m<method 0-6>q<quality 1-100>, e.g. m3q82.")).ToList();

    /// <summary><c>bench/.cache</c> of the repository the command runs in (git-ignored).</summary>
    private static string DefaultCache()
    {
        for (DirectoryInfo? dir = new(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workflows.sln")))
            {
                return Path.Combine(dir.FullName, "bench", ".cache");
            }
        }

        return Path.Combine(Directory.GetCurrentDirectory(), ".bench-cache");
    }
}
