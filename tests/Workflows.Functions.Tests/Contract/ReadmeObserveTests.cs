using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Workflows.Observability;

namespace Workflows.Tests.Contract;

/// <summary>
/// What the README's "Observe" section tells an operator to look at exists in the app: each endpoint (method and
/// route), each metric of the <c>Workflows</c> meter (and every one of them is listed), each log category and each
/// Durable span name.
/// </summary>
public sealed partial class ReadmeObserveTests
{
    [GeneratedRegex(@"`(GET|POST|PUT|DELETE) /api/([^`\s?]+)[^`]*`")]
    private static partial Regex Endpoint();

    [GeneratedRegex(@"`(workflows\.[a-z_.]+)`")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"`(Workflows\.[A-Za-z.]+)`")]
    private static partial Regex LogCategory();

    [GeneratedRegex(@"`(?:create_orchestration|orchestration|activity):(\w+)`")]
    private static partial Regex SpanName();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex RouteParameter();

    [Fact]
    public void Observe_EveryEndpointMetricLogCategoryAndSpanItNames_ExistsInTheApp()
    {
        // Arrange
        var readme = File.ReadAllText(FunctionsReference.ReadmePath);
        var start = readme.IndexOf("\n## Observe", StringComparison.Ordinal);
        var observe = readme[start..readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal)];
        var functions = FunctionsReference.FromMetadata();
        var instruments = Instruments();

        // Act
        List<string> problems = [];
        foreach (Match m in Endpoint().Matches(observe))
        {
            var (method, route) = (m.Groups[1].Value, Normalized(m.Groups[2].Value));
            if (!functions.Any(f => f.Trigger == "httpTrigger" && f.Methods.Split(", ").Contains(method) && Normalized(f.Target) == route))
            {
                problems.Add($"endpoint {m.Value}: no HTTP function has this method and route");
            }
        }

        var metrics = MetricName().Matches(observe).Select(m => m.Groups[1].Value).ToHashSet();
        problems.AddRange(metrics.Except(instruments).Select(name => $"metric {name}: not an instrument of the Workflows meter"));
        problems.AddRange(instruments.Except(metrics).Select(name => $"metric {name}: not documented"));
        problems.AddRange(LogCategory().Matches(observe).Select(m => m.Groups[1].Value)
            .Where(category => typeof(WorkflowsRegistration).Assembly.GetType(category) is null)
            .Select(category => $"log category {category}: no such class"));
        problems.AddRange(SpanName().Matches(observe).Select(m => m.Groups[1].Value)
            .Where(name => functions.All(f => f.Function != name))
            .Select(name => $"span of {name}: no such function"));

        // Assert
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.NotEmpty(metrics);
    }

    private static string Normalized(string route) => RouteParameter().Replace(route.Trim('/'), "{}");

    private static HashSet<string> Instruments()
    {
        var meter = WorkflowMetrics.Meter; // creates its instruments
        HashSet<string> names = [];
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter == meter)
                {
                    lock (names)
                    {
                        names.Add(instrument.Name);
                    }
                }
            },
        };
        listener.Start(); // publishes the instruments that exist already
        return names;
    }
}
