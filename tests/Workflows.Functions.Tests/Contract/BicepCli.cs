using System.Reflection;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Contract;

/// <summary>The pinned Bicep CLI (NuGet package Azure.Bicep.CommandLine.linux-x64) and the repository's infra/ folder.</summary>
internal static class BicepCli
{
    public static readonly string Root = RepositoryRoot();

    public static readonly string Infra = Path.Combine(Root, "infra");

    public static Task<(int ExitCode, string Output, string Errors)> RunAsync(params string[] arguments) =>
        ToolProcess.RunAsync(BicepPath(), arguments, TimeSpan.FromMinutes(2));

    /// <summary>main.bicep compiled to an ARM template (modules nested), as text.</summary>
    public static async Task<string> BuildMainAsync()
    {
        var build = await RunAsync("build", Path.Combine(Infra, "main.bicep"), "--stdout");
        Assert.True(build.ExitCode == 0, build.Errors);
        return build.Output;
    }

    /// <summary>The CLI restored with the test project (a native binary; NuGet does not keep its executable bit).</summary>
    private static string BicepPath()
    {
        var package = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "BicepPackagePath").Value!;
        var path = Path.Combine(package, "tools", "bicep");
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The pinned Bicep CLI package is the linux-x64 build; run these tests on Linux (CI does).");
        }

        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return path;
    }

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
