using System.Globalization;

namespace Workflows.Bench.Orchestrations;

/// <summary>
/// Command line of the orchestrations mode: <c>--orchestrations</c> with <c>--smoke</c> (CI: two orders and one asset
/// per batch, one round, no warm-up batches), <c>--quick</c> (default) or <c>--full</c> (more instances and rounds, plus the 10,000-asset and
/// 10,000-activity scale runs); then optionally <c>--orders N</c>, <c>--assets N</c>, <c>--rounds N</c>,
/// <c>--scale N</c> (0: no scale runs), <c>--scale-assets N</c> (the bulk reprocess's assets, if not N; 0: the fan-outs
/// only), <c>--scale-engine memory|azure</c> (where the scale runs run; only the Azure
/// Storage engine gives histories to count), <c>--engines memory,azure</c> (<c>none</c>: the scale runs only) and
/// <c>--app-storage shared|own</c> (own: the app's tables, queues and blobs on a second Azurite, so each one's CPU is its own).
/// </summary>
internal sealed record OrchestrationOptions(string Mode, int Orders, int Assets, int Rounds, int Scale)
{
    public IReadOnlyList<string> Engines { get; init; } = ["azure", "memory"];

    public string ScaleEngine { get; init; } = "memory";

    /// <summary>The app's own data (tables, queues, blobs) on an Azurite of its own, apart from the task hub's (<c>--app-storage own</c>).</summary>
    public bool OwnAppStorage { get; init; }

    /// <summary>Assets of the bulk reprocess scale run; null: as many as the fan-outs' activities.</summary>
    public int? ScaleAssets { get; init; }

    /// <summary>Unmeasured batches of each workload before the rounds (tiered JIT, connection pools, tables created).</summary>
    public int WarmUps => Mode == "smoke" ? 0 : 2;

    public static OrchestrationOptions Parse(string[] args)
    {
        OrchestrationOptions options = args.Contains("--full") ? new("full", 100, 20, 5, 10_000)
            : args.Contains("--smoke") ? new("smoke", 2, 1, 1, 0)
            : new("quick", 40, 10, 3, 0);
        for (int i = 0; i < args.Length; i++)
        {
            int Next() => i + 1 < args.Length
                ? int.Parse(args[++i], CultureInfo.InvariantCulture)
                : throw new ArgumentException($"{args[i]} needs a value.");
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--orchestrations" or "--full" or "--quick" or "--smoke" => options,
                "--orders" => options with { Orders = Next() },
                "--assets" => options with { Assets = Next() },
                "--rounds" => options with { Rounds = Next() },
                "--scale" => options with { Scale = Next() },
                "--scale-assets" => options with { ScaleAssets = Next() },
                "--engines" => options with { Engines = Value() is "none" ? [] : args[i].Split(',') },
                "--app-storage" => options with { OwnAppStorage = Value() switch { "own" => true, "shared" => false, _ => throw new ArgumentException("--app-storage is shared or own.") } },
                "--scale-engine" => options with { ScaleEngine = Value() is "memory" or "azure" ? args[i] : throw new ArgumentException("--scale-engine is memory or azure.") },
                _ => throw new ArgumentException($"Unknown option {args[i]} (see README, Performance, Orchestrations)."),
            };
        }

        return options;
    }
}
