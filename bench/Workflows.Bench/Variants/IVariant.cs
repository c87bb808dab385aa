namespace Workflows.Bench.Variants;

/// <summary>One way to render (or inspect) an image, run inside a worker process pinned to one core.</summary>
internal interface IVariant
{
    /// <summary>
    /// Runs <paramref name="op"/> on one image. The worker measures this process's CPU around the call unless the
    /// result carries its own (the floor measures its child processes).
    /// </summary>
    Task<OpResult> RunAsync(string op, BenchImage image, OutputSink? sink, CancellationToken ct);

    /// <summary>Gives pooled memory back before a measurement, so its peak is not hidden in memory pooled earlier.</summary>
    void ReleasePools()
    {
    }
}

/// <summary>An input file, read into memory before the measurement starts.</summary>
internal sealed record BenchImage(string Path, byte[] Bytes);

/// <summary>What an operation reports besides the CPU the worker measures around it.</summary>
/// <param name="Cpu">Set only by variants whose work runs in child processes.</param>
/// <param name="Metrics">Named figures of a breakdown (e.g. per-stage CPU ms), summed over the images of a class.</param>
internal sealed record OpResult(TimeSpan? Cpu = null, IReadOnlyDictionary<string, double>? Metrics = null)
{
    public static OpResult Done { get; } = new();
}

/// <summary>Keeps the encoded renditions of the warm-up run, for the quality gate and the metadata check.</summary>
internal sealed class OutputSink(string folder)
{
    public string Folder => folder;

    /// <summary>Writes <c>{name}.{extension}</c>, e.g. <c>jpeg-800.jpg</c>.</summary>
    public void Save(string name, string extension, ReadOnlySpan<byte> encoded)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, $"{name}.{extension}"), encoded.ToArray());
    }

    public void Save(string name, string extension, Stream encoded)
    {
        Directory.CreateDirectory(folder);
        using FileStream file = File.Create(Path.Combine(folder, $"{name}.{extension}"));
        encoded.CopyTo(file);
    }
}
