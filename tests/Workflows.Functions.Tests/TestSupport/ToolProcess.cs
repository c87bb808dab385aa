using System.Diagnostics;

namespace Workflows.Tests.TestSupport;

/// <summary>Runs a command-line tool to its end and returns what it printed (trimmed).</summary>
internal static class ToolProcess
{
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(
        string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new Deadline(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, (await output).Trim(), (await errors).Trim());
    }
}
