using System.Text.Json;

namespace Workflows.Hosting;

/// <summary>The app settings a test or bench app starts with: local.settings.sample.json, pointed at the given storage.</summary>
public static class SampleSettings
{
    private static readonly Lazy<IReadOnlyDictionary<string, string?>> Sample = new(ReadSample);

    public static Dictionary<string, string?> Create(string connectionString, string taskHubName)
    {
        // Starting from the sample proves it lists every setting the app needs to start (options validate on start).
        Dictionary<string, string?> values = new(Sample.Value, StringComparer.OrdinalIgnoreCase)
        {
            ["AzureWebJobsStorage"] = connectionString,
            ["WorkflowsStorage"] = connectionString,
            ["TaskHubName"] = taskHubName,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        return values;
    }

    private static Dictionary<string, string?> ReadSample()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "local.settings.sample.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        Dictionary<string, string?> values = new(StringComparer.OrdinalIgnoreCase);
        foreach (var setting in document.RootElement.GetProperty("Values").EnumerateObject())
        {
            // The host exposes app settings as environment variables, where "__" separates configuration sections.
            values[setting.Name.Replace("__", ":", StringComparison.Ordinal)] = setting.Value.ToString();
        }

        return values;
    }
}
