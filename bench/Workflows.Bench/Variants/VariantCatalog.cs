using Workflows.Bench.Inputs;
using Workflows.Bench.Levers;
using Workflows.Bench.Quality;

namespace Workflows.Bench.Variants;

/// <summary>A variant as the driver sees it: its name, what it is, and which operations it runs on an input.</summary>
internal sealed record VariantInfo(string Name, string Description, Func<BenchInput, IReadOnlyList<string>> Ops);

/// <summary>Every variant the benchmark knows; workers create theirs by name.</summary>
internal static class VariantCatalog
{
    public const string App = "app";
    public const string Floor = "floor";

    /// <summary>The app and the anchors it is compared with, in table order (the floor last).</summary>
    public static IReadOnlyList<VariantInfo> Anchors { get; } =
    [
        new(App, "the app's IAssetImaging (what InspectUpload and RenderRenditions call)", _ => ["inspect", "jpeg", "webp", "asset"]),
        new("netvips", "NetVips 3.2 / libvips 8.18: thumbnail with shrink-on-load, cascaded",
            input => input.Format is "bmp" ? [] : ["jpeg", "webp"]),
        new("skia", "SkiaSharp 4.155, plain: scaled SKCodec decode, Resize (mipmaps), Encode",
            input => input.Format is "jpeg" or "png" or "webp" or "gif" or "bmp" ? ["jpeg", "webp"] : []),
        new("imagesharp", "ImageSharp 2.1.13: full decode once, bicubic cascade",
            input => input.Format is "jpeg" or "png" or "webp" or "gif" or "bmp" or "tiff" ? ["jpeg", "webp"] : []),
        new(Floor, "libjpeg-turbo djpeg -scale + cjpeg, cwebp -m 3; exact-size pixels, process start removed",
            input => input.Format is "jpeg" ? ["jpeg", "webp"] : []),
    ];

    public static IVariant Create(string name, References references) => name switch
    {
        App => new AppVariant(),
        "netvips" => new NetVipsVariant(),
        "skia" => new SkiaVariant(),
        "imagesharp" => new ImageSharpVariant(),
        Floor => new FloorVariant(references),
        LeverCatalog.Name => new LeverVariant(),
        _ => throw new ArgumentException($"Unknown variant '{name}'.", nameof(name)),
    };
}
