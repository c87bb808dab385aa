using BenchmarkDotNet.Running;
using Workflows.Benchmarks;

if (args is ["--interleaved", ..])
{
    await InterleavedHarness.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 15);
    return;
}

if (args is ["--memory", string kind])
{
    await MemoryProbe.RunAsync(kind);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(RenditionBenchmarks).Assembly).Run(args);
