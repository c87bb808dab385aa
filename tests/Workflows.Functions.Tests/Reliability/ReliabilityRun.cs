using System.Globalization;

namespace Workflows.Tests.Reliability;

/// <summary>
/// How big a reliability run is: quick (CI, every <c>dotnet test</c>) unless <c>WORKFLOWS_RELIABILITY=long</c>; the seed
/// of its random choices is fixed unless <c>WORKFLOWS_RELIABILITY_SEED</c> names one, and every run prints it.
/// </summary>
internal sealed record ReliabilityRun(bool IsLong, int Seed)
{
    public const string ModeVariable = "WORKFLOWS_RELIABILITY";
    public const string SeedVariable = "WORKFLOWS_RELIABILITY_SEED";

    public static ReliabilityRun Current { get; } = new(
        string.Equals(Environment.GetEnvironmentVariable(ModeVariable), "long", StringComparison.OrdinalIgnoreCase),
        int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : 20261202);

    public string Name => IsLong ? "long" : "quick";

    /// <summary>The quick or the long figure.</summary>
    public int Pick(int quick, int @long) => IsLong ? @long : quick;
}

/// <summary>
/// Reliability runs load the machine on purpose (a child process per kill, hundreds of concurrent requests): they run
/// alone, after the rest of the suite, so that neither slows the other into timeouts.
/// </summary>
[CollectionDefinition(nameof(ReliabilityRunsAlone), DisableParallelization = true)]
public sealed class ReliabilityRunsAlone;
