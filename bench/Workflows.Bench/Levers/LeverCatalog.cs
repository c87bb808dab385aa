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
}
