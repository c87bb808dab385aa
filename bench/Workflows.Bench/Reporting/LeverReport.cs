using System.Text;
using Workflows.Bench.Inputs;

namespace Workflows.Bench.Reporting;

/// <summary>The lever experiments' figures (present when run with <c>--levers</c> or <c>--full</c>).</summary>
internal static class LeverReport
{
    public static void Render(StringBuilder text, Findings findings, IReadOnlyList<BenchInput> inputs)
    {
    }
}
