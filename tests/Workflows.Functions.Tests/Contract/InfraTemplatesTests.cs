using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Workflows.Tests.Contract;

/// <summary>
/// The azd templates under infra/ build and lint with zero warnings using the pinned Bicep CLI (NuGet package
/// Azure.Bicep.CommandLine.linux-x64), and azd can fill every parameter of main.bicep.
/// </summary>
public sealed partial class InfraTemplatesTests
{
    private static readonly string Root = RepositoryRoot();
    private static readonly string Infra = Path.Combine(Root, "infra");

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
        var build = await BicepAsync("build", main, "--stdout");
        var lint = await BicepAsync("lint", main);

        // Assert: bicep prints warnings and infos (but no output on success) on stdout for lint, stderr for build.
        Assert.Empty(Directory.GetFiles(Infra, "*.bicep", SearchOption.AllDirectories).Except(referenced));
        Assert.True(build.ExitCode == 0 && build.Errors.Length == 0, $"bicep build main.bicep:\n{build.Errors}");
        Assert.True(lint.ExitCode == 0 && lint.Errors.Length == 0 && lint.Output.Length == 0, $"bicep lint main.bicep:\n{lint.Output}{lint.Errors}");
    }

    [Fact]
    public async Task MainTemplate_EveryParameter_HasAzdValueOrDefault()
    {
        // Arrange
        var compiled = await BicepAsync("build", Path.Combine(Infra, "main.bicep"), "--stdout");
        using var arm = JsonDocument.Parse(compiled.Output);
        using var azd = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Infra, "main.parameters.json")));
        var supplied = azd.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToHashSet();

        // Act
        var declared = arm.RootElement.GetProperty("parameters").EnumerateObject().ToList();

        // Assert: a parameter azd does not fill must have a default, and azd fills nothing the template lacks.
        Assert.All(declared, p => Assert.True(supplied.Contains(p.Name) || p.Value.TryGetProperty("defaultValue", out _), p.Name));
        Assert.Subset(declared.Select(p => p.Name).ToHashSet(), supplied);
    }

    private static async Task<(int ExitCode, string Output, string Errors)> BicepAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(BicepPath()) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await output).Trim(), (await errors).Trim());
    }

    /// <summary>The CLI restored with the test project (a native binary; NuGet does not keep its executable bit).</summary>
    private static string BicepPath()
    {
        var package = typeof(InfraTemplatesTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "BicepPackagePath").Value!;
        var path = Path.Combine(package, "tools", "bicep");
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The pinned Bicep CLI package is the linux-x64 build; run these tests on Linux (CI does).");
        }

        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return path;
    }

    [GeneratedRegex(@"^module\s+\w+\s+'([^']+\.bicep)'", RegexOptions.Multiline)]
    private static partial Regex ModuleReference();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "azure.yaml")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("azure.yaml not found above the test binaries.");
    }
}
