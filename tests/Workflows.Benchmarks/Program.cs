using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Workflows.Benchmarks.RenditionBenchmarks).Assembly).Run(args);
