using Workflows.Bench.Variants;

namespace Workflows.Bench.Levers;

/// <summary>Experiments that measure one lever each against the app's own path (run with <c>--levers</c> or <c>--full</c>).</summary>
internal static class LeverCatalog
{
    public static IReadOnlyList<VariantInfo> Levers { get; } = [];
}
