using Workflows.Bench;
using Workflows.Bench.Harness;
using Workflows.Bench.Orchestrations;
using Workflows.Bench.Quality;
using Workflows.Bench.Uploads;
using Workflows.Bench.Variants;

// Worker: one variant, started by the driver pinned to one core (see Harness/Worker.cs).
if (args is ["--worker", string variant, "--cache", string cache])
{
    return await Worker.RunAsync(VariantCatalog.Create(variant, new References(cache)));
}

// The orchestrations mode: see Orchestrations/OrchestrationBench.cs.
if (args.Contains("--orchestrations"))
{
    return await OrchestrationBench.RunAsync(args);
}

// The missed-uploads mode: see Uploads/MissedUploadsBench.cs.
if (args.Contains("--missed-uploads"))
{
    return await MissedUploadsBench.RunAsync(args);
}

// Driver: see README, Performance, and BenchOptions for the command line.
return await new Driver(BenchOptions.Parse(args)).RunAsync();
