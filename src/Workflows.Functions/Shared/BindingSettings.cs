using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;

namespace Workflows.Shared;

/// <summary>
/// The app settings that the functions' binding expressions name (<c>%Orders:EventsQueue%</c>, …), read from the app's
/// own <c>[Function]</c> attributes. The host resolves them from app settings only (options' code defaults never reach
/// it), so a missing one would leave a worker writing to one queue while the trigger fails to index: start-up fails
/// instead, naming the setting.
/// </summary>
public static partial class BindingSettings
{
    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex Expression();

    /// <summary>Each setting a binding expression names, with the functions whose bindings use it.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> UsedBy(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var uses =
            from method in assembly.GetTypes().SelectMany(t => t.GetMethods(
                BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            let function = method.GetCustomAttribute<FunctionAttribute>()
            where function is not null
            from attribute in method.GetParameters().SelectMany(p => p.GetCustomAttributes()).Concat(method.GetCustomAttributes())
            from property in attribute.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            where property.PropertyType == typeof(string) && property.GetIndexParameters().Length == 0
            from Match match in Expression().Matches(property.GetValue(attribute) as string ?? "")
            select (Setting: match.Groups[1].Value, Function: function.Name);
        return uses.GroupBy(u => u.Setting, StringComparer.OrdinalIgnoreCase).ToDictionary(
            g => g.Key,
            g => (IReadOnlyList<string>)g.Select(u => u.Function).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Throws when a setting that a binding expression of this app names is missing or empty.</summary>
    public static void EnsureConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var missing = UsedBy(typeof(BindingSettings).Assembly)
            .Where(use => string.IsNullOrWhiteSpace(configuration[use.Key]))
            .Select(use => $"'{use.Key.Replace(":", "__", StringComparison.Ordinal)}' (%{use.Key}% in {string.Join(", ", use.Value)})")
            .ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"App setting {string.Join(", ", missing)} is missing: the Functions host resolves binding expressions " +
                "from app settings only, so the trigger would not index while the worker used a default. Set it.");
        }
    }
}
