using Workflows.Bench.Variants;

namespace Workflows.Bench.Levers;

/// <summary>
/// Experiments that each measure one lever against the app's own path (run with <c>--levers</c> or <c>--full</c>),
/// on the input classes where the lever matters.
/// </summary>
internal static class LeverCatalog
{
    public const string Name = "levers";

    /// <summary>The JPEG chain's decode, encodes or both through Magick.NET's libjpeg-turbo (SIMD) instead of Skia's.</summary>
    public static readonly string[] MagickJpeg = ["magick-decode", "magick-encode", "magick-both"];

    public static IReadOnlyList<VariantInfo> Levers { get; } =
    [
        new(Name, "the app's imaging code with one lever changed", input => input.Id switch
        {
            "jpeg-12mp" => ["stages-jpeg", "stages-webp", "shared-decode", "webp-800-200", "webp-m0", "webp-m2", "webp-m3", "webp-m4", "webp-q85", "webp-q88", "webp-q90", .. MagickJpeg],
            "jpeg-12mp-rotated" => ["stages-jpeg", "shared-decode", .. MagickJpeg],
            "jpeg-12mp-progressive" => ["stages-jpeg", "jpeg-full-decode", "verify-scanline", "verify-getpixels", "verify-structure", "shared-decode", .. MagickJpeg],
            "png-12mp" or "png-12mp-gama" => ["stages-jpeg", "shared-decode"],
            _ when input.AcceptedByApp => ["shared-decode"],
            _ => [],
        }),
        new(VariantCatalog.Floor, "cwebp at every method (-m 0…6) on the exact-size pixels",
            input => input.Id == "jpeg-12mp" ? ["webp-effort"] : []),
    ];

    /// <summary>
    /// The levers of <c>--webp-grid</c> (instead of <see cref="Levers"/>): the JPEG chain split into stages and the
    /// WebP chain at each libwebp method and quality (<see cref="GridOp"/>), on every input the app accepts; the
    /// report sets each against the JPEG chain in CPU, PSNR and bytes (issue 11: ≤ 1.5× at equal PSNR).
    /// </summary>
    public static IReadOnlyList<VariantInfo> WebpGrid(IReadOnlyList<(int Method, int Quality)> grid) =>
    [
        new(Name, "the app's imaging code with libwebp's method and quality changed",
            input => input.AcceptedByApp ? ["stages-jpeg", .. grid.Select(g => GridOp(g.Method, g.Quality))] : []),
    ];

    /// <summary><c>webp-m3-q82</c>: the WebP chain encoded at libwebp method 3, quality 82.</summary>
    public static string GridOp(int method, int quality) => $"webp-m{method}-q{quality}";

    /// <summary>True for a <see cref="GridOp"/> name; not for the method levers (<c>webp-m0</c>, at the profile's quality).</summary>
    public static bool IsGridOp(string op) => op is ['w', 'e', 'b', 'p', '-', 'm', >= '0' and <= '6', '-', 'q', _, ..];
}
