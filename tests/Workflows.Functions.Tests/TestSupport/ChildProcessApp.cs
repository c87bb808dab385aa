using System.Diagnostics;
using Grpc.Net.Client;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Workflows.Tests.TestSupport;

/// <summary>
/// The app on the persistent engine in a child process (backend, sidecar and worker, as in one Functions host process),
/// on a fixed loopback port, so a test can SIGKILL it mid-orchestration and start another that finishes the work. The
/// test side keeps a client (and the app's services) that reconnects to whichever process serves the port.
/// </summary>
public sealed class ChildProcessApp : IAsyncDisposable
{
    private readonly IHost _clientHost;
    private readonly GrpcChannel _channel;
    private readonly int _port;
    private readonly string _taskHub;
    private Process? _process;

    private ChildProcessApp(IHost clientHost, GrpcChannel channel, int port, string taskHub)
    {
        _clientHost = clientHost;
        _channel = channel;
        _port = port;
        _taskHub = taskHub;
    }

    public DurableTaskClient Client => _clientHost.Services.GetRequiredService<DurableTaskClient>();

    public IServiceProvider Services => _clientHost.Services;

    public static async Task<ChildProcessApp> StartAsync()
    {
        var storage = await Azurite.GetAsync();
        var taskHub = TestNames.Unique("hub");
        var port = Azurite.FreePort();
        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var clientHost = WorkerHost.Build(channel, TestSettings.Create(storage.ConnectionString, taskHub), services: null, functions: null);
        await clientHost.StartAsync();
        var app = new ChildProcessApp(clientHost, channel, port, taskHub);
        await app.StartProcessAsync();
        return app;
    }

    /// <summary>Starts a new app process on the same port and task hub; returns once its worker is connected.</summary>
    public async Task StartProcessAsync()
    {
        var storage = await Azurite.GetAsync();
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardInput = true, // the child exits when this closes, so it never outlives the test run
            RedirectStandardOutput = true,
        };
        foreach (var argument in (string[])[typeof(ChildProcessApp).Assembly.Location, "serve-app", $"{_port}", _taskHub])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[Azurite.StorageVariable] = storage.ConnectionString;
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the app process.");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line == "ready")
            {
                return;
            }
        }

        throw new InvalidOperationException($"The app process exited ({_process.ExitCode}) before it was ready.");
    }

    /// <summary>SIGKILL: no shutdown, no lease release, in-flight work lost until the backend redelivers it.</summary>
    public async Task KillProcessAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            process.Kill();
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillProcessAsync();
        await WorkerHost.StopAsync(_clientHost);
        _channel.Dispose();
    }

    /// <summary>The child side: one app instance until stdin closes.</summary>
    internal static async Task ServeAsync(int port, string taskHub)
    {
        var storage = await Azurite.GetAsync(); // WORKFLOWS_TEST_STORAGE from the parent
        var settings = TestSettings.Create(storage.ConnectionString, taskHub);
        var backend = await PersistentTestApp.CreateBackendAsync(settings, b => b.WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(3));
        await using var sidecar = await Sidecar.StartAsync(backend, backend, port);
        using var channel = GrpcChannel.ForAddress(sidecar.Address);
        var worker = WorkerHost.Build(channel, settings, services: null, FunctionCatalog.Discover(typeof(ChildProcessApp).Assembly));
        await worker.StartAsync();
        Console.WriteLine("ready");
        await Console.In.ReadToEndAsync();
        await WorkerHost.StopAsync(worker);
    }
}
