using System.Collections.Frozen;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Workflows.Shared;

namespace Workflows.Operations;

/// <summary>
/// What the engine's commands may do to which orchestrations, from the attributes on the orchestrator functions:
/// <see cref="NotRestartableAttribute"/> refuses restart, <see cref="TerminateSkipsCompensationsAttribute"/> makes
/// terminate ask for <c>?force=true</c>.
/// </summary>
internal static class OperatorPolicy
{
    private static readonly FrozenDictionary<string, string> RestartRefusals =
        ByOrchestratorName<NotRestartableAttribute>(refusal => refusal.Reason);

    private static readonly FrozenDictionary<string, string> TerminateWarnings =
        ByOrchestratorName<TerminateSkipsCompensationsAttribute>(warning => warning.Instead);

    /// <summary>The orchestration names that cannot be restarted.</summary>
    public static IEnumerable<string> NotRestartable => RestartRefusals.Keys;

    /// <summary>The orchestration names whose terminate needs <c>?force=true</c>.</summary>
    public static IEnumerable<string> TerminateNeedsForce => TerminateWarnings.Keys;

    /// <summary>Why an instance of <paramref name="orchestrationName"/> cannot be restarted, or null when it can.</summary>
    public static string? WhyNotRestart(string orchestrationName) => RestartRefusals.GetValueOrDefault(orchestrationName);

    /// <summary>What to do instead of terminating an instance of <paramref name="orchestrationName"/>, or null when terminating loses nothing.</summary>
    public static string? InsteadOfTerminate(string orchestrationName) => TerminateWarnings.GetValueOrDefault(orchestrationName);

    private static FrozenDictionary<string, string> ByOrchestratorName<TAttribute>(Func<TAttribute, string> text)
        where TAttribute : Attribute =>
        typeof(OperatorPolicy).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(method => (Function: method.GetCustomAttribute<FunctionAttribute>(), Marker: method.GetCustomAttribute<TAttribute>()))
            .Where(f => f.Function is not null && f.Marker is not null)
            .ToFrozenDictionary(f => f.Function!.Name, f => text(f.Marker!), StringComparer.Ordinal);
}
