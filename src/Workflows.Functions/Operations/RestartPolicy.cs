using System.Collections.Frozen;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Workflows.Shared;

namespace Workflows.Operations;

/// <summary>Which orchestrations an operator may restart: all but the functions marked <see cref="NotRestartableAttribute"/>.</summary>
internal static class RestartPolicy
{
    private static readonly FrozenDictionary<string, string> Refusals = typeof(RestartPolicy).Assembly.GetTypes()
        .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        .Select(method => (Function: method.GetCustomAttribute<FunctionAttribute>(), Refusal: method.GetCustomAttribute<NotRestartableAttribute>()))
        .Where(f => f.Function is not null && f.Refusal is not null)
        .ToFrozenDictionary(f => f.Function!.Name, f => f.Refusal!.Reason, StringComparer.Ordinal);

    /// <summary>The orchestration names that cannot be restarted.</summary>
    public static IEnumerable<string> NotRestartable => Refusals.Keys;

    /// <summary>Why an instance of <paramref name="orchestrationName"/> cannot be restarted, or null when it can.</summary>
    public static string? WhyNot(string orchestrationName) => Refusals.GetValueOrDefault(orchestrationName);
}
