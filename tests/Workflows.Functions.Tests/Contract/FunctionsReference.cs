using System.Text;
using System.Text.Json;

namespace Workflows.Tests.Contract;

/// <summary>One function as the host indexes it: its trigger and what the trigger binds to.</summary>
public sealed record FunctionRow(string Function, string Trigger, string Methods, string Target, string AuthLevel, string Connection)
{
    public string ToMarkdown() =>
        $"| {Function} | {Trigger} | {Methods} | {Code(Target)} | {AuthLevel} | {Code(Connection)} |";

    private static string Code(string value) => value == FunctionsReference.None ? value : $"`{value}`";
}

/// <summary>
/// Reads the function table two ways: from the built <c>functions.metadata</c> (what the Functions host indexes) and from
/// the README's "Functions reference" table, so a test can insist they are the same.
/// </summary>
public static class FunctionsReference
{
    public const string None = "—";
    public const string Start = "<!-- functions-reference:start (generated from functions.metadata; see Contract tests) -->";
    public const string End = "<!-- functions-reference:end -->";
    private const string Header = "| Function | Trigger | Methods | Route / blob path / queue / schedule | Auth level | Connection |";

    /// <summary>The app's functions.metadata, copied next to the app assembly by the build.</summary>
    public static string MetadataPath =>
        Path.Combine(Path.GetDirectoryName(FunctionCatalogAssembly.Location)!, "functions.metadata");

    public static string ReadmePath => Path.Combine(RepositoryRoot(), "README.md");

    private static System.Reflection.Assembly FunctionCatalogAssembly => typeof(WorkflowsRegistration).Assembly;

    public static IReadOnlyList<FunctionRow> FromMetadata()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(MetadataPath));
        List<FunctionRow> rows = [];
        foreach (var function in document.RootElement.EnumerateArray())
        {
            var name = function.GetProperty("name").GetString()!;
            var trigger = function.GetProperty("bindings").EnumerateArray()
                .Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase));
            var type = trigger.GetProperty("type").GetString()!;
            var methods = trigger.TryGetProperty("methods", out var m) && m.ValueKind == JsonValueKind.Array
                ? string.Join(", ", m.EnumerateArray().Select(x => x.GetString()!.ToUpperInvariant()))
                : type == "httpTrigger" ? "any" : None;
            var target = type switch
            {
                "httpTrigger" => Text(trigger, "route") ?? name,
                "blobTrigger" => Text(trigger, "path"),
                "queueTrigger" => Text(trigger, "queueName"),
                "timerTrigger" => Text(trigger, "schedule"),
                _ => null,
            };
            rows.Add(new FunctionRow(name, type, methods, target ?? None, Text(trigger, "authLevel") ?? None, Text(trigger, "connection") ?? None));
        }

        return rows.OrderBy(r => r.Function, StringComparer.Ordinal).ToList();
    }

    public static IReadOnlyList<FunctionRow> FromReadme()
    {
        var section = Section(File.ReadAllText(ReadmePath));
        return section.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith('|') && l != Header && !l.StartsWith("|---", StringComparison.Ordinal))
            .Select(l => l.Trim('|').Split('|').Select(c => c.Trim().Trim('`')).ToArray())
            .Select(c => new FunctionRow(c[0], c[1], c[2], c[3], c[4], c[5]))
            .ToList();
    }

    /// <summary>The README table for <paramref name="rows"/>, between its markers.</summary>
    public static string Render(IEnumerable<FunctionRow> rows)
    {
        var table = new StringBuilder().AppendLine(Start).AppendLine(Header).AppendLine("|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            table.AppendLine(row.ToMarkdown());
        }

        return table.Append(End).ToString();
    }

    /// <summary>Rewrites the README's table from the metadata (run the contract test with WORKFLOWS_UPDATE_README=1).</summary>
    public static void UpdateReadme(IEnumerable<FunctionRow> rows)
    {
        var readme = File.ReadAllText(ReadmePath);
        var start = readme.IndexOf(Start, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal) + End.Length;
        File.WriteAllText(ReadmePath, readme[..start] + Render(rows) + readme[end..]);
    }

    private static string Section(string readme)
    {
        var start = readme.IndexOf(Start, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        return start < 0 || end < start
            ? throw new InvalidOperationException($"README.md has no table between '{Start}' and '{End}'.")
            : readme[start..end];
    }

    private static string? Text(JsonElement binding, string property) =>
        binding.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workflows.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Workflows.sln not found above the test binaries.");
    }
}
