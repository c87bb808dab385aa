using System.Text.Json;
using System.Text.RegularExpressions;

namespace Workflows.Tests.Contract;

/// <summary>
/// The azd templates under infra/ build and lint with zero warnings using the pinned Bicep CLI (NuGet package
/// Azure.Bicep.CommandLine.linux-x64), and azd can fill every parameter of main.bicep.
/// </summary>
public sealed partial class InfraTemplatesTests
{
    private static readonly string Infra = BicepCli.Infra;

    [Fact]
    public async Task BicepTemplates_BuildAndLint_NoWarningsOrErrors()
    {
        // Arrange: building and linting main.bicep covers the modules it references, so every file must be one of them.
        var main = Path.Combine(Infra, "main.bicep");
        var referenced = Directory.GetFiles(Infra, "*.bicep", SearchOption.AllDirectories)
            .SelectMany(file => ModuleReference().Matches(File.ReadAllText(file))
                .Select(m => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, m.Groups[1].Value))))
            .Append(main)
            .ToHashSet();

        // Act
        var build = await BicepCli.RunAsync("build", main, "--stdout");
        var lint = await BicepCli.RunAsync("lint", main);

        // Assert: bicep prints warnings and infos (but no output on success) on stdout for lint, stderr for build.
        Assert.Empty(Directory.GetFiles(Infra, "*.bicep", SearchOption.AllDirectories).Except(referenced));
        Assert.True(build.ExitCode == 0 && build.Errors.Length == 0, $"bicep build main.bicep:\n{build.Errors}");
        Assert.True(lint.ExitCode == 0 && lint.Errors.Length == 0 && lint.Output.Length == 0, $"bicep lint main.bicep:\n{lint.Output}{lint.Errors}");
    }

    [Fact]
    public async Task MainTemplate_EveryParameter_HasAzdValueOrDefault()
    {
        // Arrange
        var compiled = await BicepCli.RunAsync("build", Path.Combine(Infra, "main.bicep"), "--stdout");
        using var arm = JsonDocument.Parse(compiled.Output);
        using var azd = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Infra, "main.parameters.json")));
        var supplied = azd.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToHashSet();

        // Act
        var declared = arm.RootElement.GetProperty("parameters").EnumerateObject().ToList();

        // Assert: a parameter azd does not fill must have a default, and azd fills nothing the template lacks.
        Assert.All(declared, p => Assert.True(supplied.Contains(p.Name) || p.Value.TryGetProperty("defaultValue", out _), p.Name));
        Assert.Subset(declared.Select(p => p.Name).ToHashSet(), supplied);
    }

    [GeneratedRegex(@"^module\s+\w+\s+'([^']+\.bicep)'", RegexOptions.Multiline)]
    private static partial Regex ModuleReference();
}
