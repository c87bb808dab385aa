using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Workflows.Hosting;

/// <summary>A running storage emulator (or the account named by <c>WORKFLOWS_TEST_STORAGE</c>).</summary>
public sealed record AzuriteInstance(string ConnectionString);

/// <summary>An emulator of one test's own (an empty storage account), killed when disposed.</summary>
public sealed class FreshAzurite(string connectionString, Process process) : IAsyncDisposable
{
    public string ConnectionString { get; } = connectionString;

    public ValueTask DisposeAsync()
    {
        Azurite.Kill(process);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// One Azurite per process (test run or bench), started on first use from the repository's pinned npm package (in-memory, free loopback
/// ports) and killed with SIGKILL when the process exits: after traffic Azurite needs minutes to exit on SIGTERM, and in
/// memory there is nothing to lose. Set <c>WORKFLOWS_TEST_STORAGE</c> to a connection string to use an existing account.
/// </summary>
public static class Azurite
{
    public const string StorageVariable = "WORKFLOWS_TEST_STORAGE";

    // The emulator's well-known development account (public, documented; not a secret).
    public const string Account = "devstoreaccount1";
    private const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly Lazy<Task<AzuriteInstance>> Instance = new(StartAsync);

    public static Task<AzuriteInstance> GetAsync() => Instance.Value;

    /// <summary>Starts another emulator, empty, for a test that needs a fresh account (always local, whatever the variable says).</summary>
    public static async Task<FreshAzurite> StartFreshAsync()
    {
        var (ports, process) = await StartOnFreePortsAsync();
        return new FreshAzurite(ConnectionString(ports), process);
    }

    private static async Task<AzuriteInstance> StartAsync()
    {
        var existing = Environment.GetEnvironmentVariable(StorageVariable);
        return new AzuriteInstance(
            string.IsNullOrWhiteSpace(existing) ? ConnectionString((await StartOnFreePortsAsync()).Ports) : existing);
    }

    /// <summary>
    /// The port of the table endpoint <paramref name="connectionString"/> names; null when it names none (an account given
    /// by name and key, or <c>UseDevelopmentStorage=true</c>, through <c>WORKFLOWS_TEST_STORAGE</c>).
    /// </summary>
    public static int? TablePort(string connectionString) =>
        connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2 && pair[0].Equals("TableEndpoint", StringComparison.OrdinalIgnoreCase))
            .Select(pair => Uri.TryCreate(pair[1], UriKind.Absolute, out var uri) ? uri.Port : (int?)null)
            .FirstOrDefault();

    private static string ConnectionString(int[] ports) =>
        $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{ports[0]}/{Account};" +
        $"QueueEndpoint=http://127.0.0.1:{ports[1]}/{Account};" +
        $"TableEndpoint=http://127.0.0.1:{ports[2]}/{Account};";

    /// <summary>
    /// Starts another Azurite (blob, queue, table) with <paramref name="extraArguments"/> on free loopback ports and
    /// returns its ports and process. A port picked here can be taken by someone else before Azurite binds it: tries a
    /// few times.
    /// </summary>
    public static async Task<(int[] Ports, Process Process)> StartOnFreePortsAsync(params string[] extraArguments)
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                return await StartOnceAsync(extraArguments);
            }
            catch (InvalidOperationException ex)
            {
                last = ex;
            }
        }

        throw new InvalidOperationException("Azurite did not start.", last);
    }

    private static async Task<(int[] Ports, Process Process)> StartOnceAsync(string[] extraArguments)
    {
        int[] ports = [FreePort(), FreePort(), FreePort()];
        var arguments =
            $"--silent --inMemoryPersistence --skipApiVersionCheck --disableProductStyleUrl " +
            $"--blobHost 127.0.0.1 --blobPort {ports[0]} --queueHost 127.0.0.1 --queuePort {ports[1]} " +
            $"--tableHost 127.0.0.1 --tablePort {ports[2]}";

        // A watchdog shell owns Azurite and SIGKILLs its process group when its stdin closes, which the kernel does when
        // this test process ends in any way (even SIGKILL), so no emulator outlives a test run.
        const string watchdog = "set -m; \"$@\" & child=$!; (read -r _; kill -9 -- -$child 2>/dev/null) & wait $child";
        var start = new ProcessStartInfo("bash")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["-c", watchdog, "azurite", .. Command(), .. arguments.Split(' '), .. extraArguments])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start Azurite.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => process.StandardInput.Close();

        using var timeout = new Deadline(TimeSpan.FromSeconds(90));
        while (!ports.All(IsListening))
        {
            if (process.HasExited || timeout.IsCancellationRequested)
            {
                Kill(process);
                throw new InvalidOperationException($"Azurite ({string.Join(' ', Command())}) did not listen on ports {string.Join(", ", ports)} ({timeout}).");
            }

            await Task.Delay(100);
        }

        return (ports, process);
    }

    /// <summary>The repository's pinned Azurite after <c>npm ci</c>, else the same version through npx.</summary>
    private static string[] Command() =>
        FindLocalAzurite() is { } local ? [local] : ["npx", "--yes", "azurite@3.37.0"];

    /// <summary>node_modules/.bin/azurite of the nearest folder above the test binaries (the repo root after <c>npm ci</c>).</summary>
    private static string? FindLocalAzurite()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "node_modules", ".bin", "azurite");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static void Kill(Process process)
    {
        process.StandardInput.Close(); // the watchdog kills Azurite's process group
        process.WaitForExit(TimeSpan.FromSeconds(5));
    }

    /// <summary>
    /// A loopback port free now, below the kernel's ephemeral range where there is room: a port from that range (what
    /// binding port 0 gives) can be taken by any outgoing connection before the process meant for it binds it, or
    /// while a killed app process is restarted on it.
    /// </summary>
    public static int FreePort()
    {
        var ephemeralStart = EphemeralRangeStart();
        for (var attempt = 0; ephemeralStart > 11_000 && attempt < 50; attempt++)
        {
            var port = Random.Shared.Next(10_000, ephemeralStart);
            try
            {
                using var candidate = new TcpListener(IPAddress.Loopback, port);
                candidate.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int EphemeralRangeStart()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        return File.Exists(range) && int.TryParse(File.ReadAllText(range).Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], out var start)
            ? start
            : 0;
    }

    private static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
