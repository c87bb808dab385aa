namespace Workflows.Bench.Inputs;

/// <summary>
/// An input class the benchmark renders: one or more files of one format (e.g. twelve 1 MP photos), each with its
/// Lanczos reference beside it once <see cref="Quality.References"/> has made them.
/// </summary>
/// <param name="Format">Lower-case format name ("jpeg", "png", "avif", ...): what variants decide support on.</param>
internal sealed record BenchInput(string Id, string Description, string Format, IReadOnlyList<string> Files)
{
    /// <summary>Megapixels of the first file's class, for the memory table (12 MP rows are the ones with a target).</summary>
    public required double Megapixels { get; init; }

    /// <summary>True for formats the app takes today; others show the app's rejection until a codec lands.</summary>
    public bool AcceptedByApp => Format is "jpeg" or "png" or "webp" or "gif" or "bmp" or "tiff";

    public static string FormatOf(string path) => Path.GetExtension(path).TrimStart('.').ToLowerInvariant() switch
    {
        "jpg" or "jpeg" => "jpeg",
        "tif" or "tiff" => "tiff",
        "heif" or "heic" => "heic",
        string other => other,
    };
}
