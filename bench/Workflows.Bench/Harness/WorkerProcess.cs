using System.Diagnostics;
using System.Globalization;

namespace Workflows.Bench.Harness;

/// <summary>The driver's handle on one worker: started under <c>taskset</c> on one core, spoken to a line at a time.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;

    private WorkerProcess(Process process) => _process = process;

    public static async Task<WorkerProcess> StartAsync(string variant, string cacheDirectory, int? core)
    {
        List<string> command = [.. SelfCommand(), "--worker", variant, "--cache", cacheDirectory];
        if (core is { } pinned)
        {
            command.InsertRange(0, ["taskset", "-c", pinned.ToString(CultureInfo.InvariantCulture)]);
        }

        var start = new ProcessStartInfo(command[0], command.Skip(1)) { RedirectStandardInput = true, RedirectStandardOutput = true };
        var worker = new WorkerProcess(Process.Start(start) ?? throw new InvalidOperationException($"worker {variant} did not start"));
        string ready = await worker.ReadReplyAsync();
        return ready == "ready" ? worker : throw new InvalidOperationException($"worker {variant} said '{ready}'");
    }

    public async Task<string[]> RunAsync(string op, string? saveFolder, IEnumerable<string> files)
    {
        await _process.StandardInput.WriteLineAsync($"run\t{op}\t{saveFolder ?? "-"}\t{string.Join('|', files)}");
        await _process.StandardInput.FlushAsync();
        return (await ReadReplyAsync()).Split('\t');
    }

    /// <summary>Ends the worker; returns its peak resident set and its children's largest (KiB).</summary>
    public async Task<(long PeakKib, long ChildPeakKib)> QuitAsync()
    {
        await _process.StandardInput.WriteLineAsync("quit");
        await _process.StandardInput.FlushAsync();
        string[] bye = (await ReadReplyAsync()).Split('\t');
        await _process.WaitForExitAsync();
        return (long.Parse(bye[1], CultureInfo.InvariantCulture), long.Parse(bye[2], CultureInfo.InvariantCulture));
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    // Libraries may print to stdout (a libvips warning): only the protocol's words end a wait.
    private async Task<string> ReadReplyAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line == "ready" || line.Split('\t')[0] is "ok" or "rejected" or "fail" or "bye")
            {
                return line;
            }

            Console.Error.WriteLine($"  worker: {line}");
        }

        throw new InvalidOperationException($"worker exited ({(_process.HasExited ? _process.ExitCode : -1)}) without answering");
    }

    /// <summary>How to start this program again: its apphost, or <c>dotnet</c> with the assembly.</summary>
    private static string[] SelfCommand()
    {
        string host = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? [host, typeof(WorkerProcess).Assembly.Location] : [host];
    }
}
