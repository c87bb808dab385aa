using BenchmarkDotNet.Running;
using Workflows.Benchmarks;

if (args is ["--interleaved", ..])
{
    await InterleavedHarness.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 15);
    return;
}

if (args is ["--memory", string kind, ..])
{
    await MemoryProbe.RunAsync(kind, args.Length > 2 ? args[2] : null);
    return;
}

if (args is ["--magick-samples", string folder, string photo, ..])
{
    MagickSamples.Write(folder, photo, args.Length > 3 ? args[3] : null);
    return;
}

if (args is ["--avif", ..])
{
    AvifComparison.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(RenditionBenchmarks).Assembly).Run(args);
