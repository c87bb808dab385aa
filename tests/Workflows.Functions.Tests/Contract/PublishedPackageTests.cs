using System.Text.Json;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Contract;

/// <summary>
/// <c>dotnet publish</c> of the app (what azd and the pipeline deploy) targets linux-x64, framework-dependent, so the
/// package carries only the Linux natives of Magick.NET and SkiaSharp (~81 MB instead of ~735 MB with every platform's);
/// a plain build stays portable. Checked on the project's evaluated properties, which is what publish uses.
/// </summary>
public sealed class PublishedPackageTests
{
    private static readonly string Project = Path.Combine(BicepCli.Root, "src", "Workflows.Functions", "Workflows.Functions.csproj");

    [Fact]
    public async Task Publish_TargetsLinuxX64FrameworkDependent()
    {
        // Act: the global property `dotnet publish` sets.
        var properties = await EvaluateAsync("-p:_IsPublishing=true");

        // Assert
        Assert.Equal(("linux-x64", "false"), (properties["RuntimeIdentifier"], properties["SelfContained"]));
    }

    [Fact]
    public async Task Build_StaysPortable_AndRestoreCoversThePublishRuntime()
    {
        // Act
        var properties = await EvaluateAsync();

        // Assert: tests and func start run on any OS; the pipeline publishes with no-restore after a plain restore.
        Assert.Equal("", properties["RuntimeIdentifier"]);
        Assert.Contains("linux-x64", properties["RuntimeIdentifiers"].Split(';'));
    }

    [Fact]
    public async Task PipelinePublish_DoesNotOverrideTheRuntime()
    {
        // Act
        var publish = (await File.ReadAllLinesAsync(Path.Combine(BicepCli.Root, "azure-pipelines.yml")))
            .Single(line => line.Contains("dotnet publish", StringComparison.Ordinal) && line.TrimStart().StartsWith("- script:", StringComparison.Ordinal));

        // Assert
        Assert.DoesNotContain(" -r ", publish, StringComparison.Ordinal);
        Assert.DoesNotContain("--runtime", publish, StringComparison.Ordinal);
        Assert.DoesNotContain("--self-contained", publish, StringComparison.Ordinal);
    }

    private static async Task<Dictionary<string, string>> EvaluateAsync(params string[] extra)
    {
        var (exitCode, output, errors) = await ToolProcess.RunAsync(
            "dotnet",
            ["msbuild", Project, "-p:Configuration=Release", "-getProperty:RuntimeIdentifier", "-getProperty:RuntimeIdentifiers",
             "-getProperty:SelfContained", .. extra],
            TimeSpan.FromMinutes(1));
        Assert.True(exitCode == 0, $"{output}{errors}");
        using var json = JsonDocument.Parse(output);
        return json.RootElement.GetProperty("Properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }
}
