using System.Diagnostics;
using System.Text.Json;
using Grpc.Net.Client;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Workflows.Tests.TestSupport;

/// <summary>Services a test adds to one app process (after the app's own), e.g. a fault; needs a parameterless constructor.</summary>
public interface IAppProcessServices
{
    void Configure(IServiceCollection services);
}

/// <summary>
/// The app on the persistent engine in a child process (backend, sidecar and worker, as in one Functions host process),
/// on a fixed loopback port, so a test can SIGKILL it mid-orchestration and start another that finishes the work. The
/// test side keeps a client (and the app's services) that reconnects to whichever process serves the port. Every
/// process gets the same app settings.
/// </summary>
public sealed class ChildProcessApp : IAsyncDisposable
{
    private const string SettingsVariable = "WORKFLOWS_TEST_APP_SETTINGS";
    private readonly IHost _clientHost;
    private readonly GrpcChannel _channel;
    private readonly int _port;
    private readonly Dictionary<string, string?> _settings;
    private Process? _process;

    private ChildProcessApp(IHost clientHost, GrpcChannel channel, int port, Dictionary<string, string?> settings)
    {
        _clientHost = clientHost;
        _channel = channel;
        _port = port;
        _settings = settings;
    }

    public DurableTaskClient Client => _clientHost.Services.GetRequiredService<DurableTaskClient>();

    public IServiceProvider Services => _clientHost.Services;

    /// <param name="settings">Extra or overriding app settings, for every process.</param>
    /// <param name="services">An <see cref="IAppProcessServices"/> type for the first process only.</param>
    public static async Task<ChildProcessApp> StartAsync(Action<IDictionary<string, string?>>? settings = null, Type? services = null)
    {
        var storage = await Azurite.GetAsync();
        var values = SampleSettings.Create(storage.ConnectionString, TestNames.Unique("hub"));
        settings?.Invoke(values);
        var port = Azurite.FreePort();
        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var clientHost = WorkerHost.Build(channel, values, services: null, functions: null);
        await clientHost.StartAsync();
        var app = new ChildProcessApp(clientHost, channel, port, values);
        await app.StartProcessAsync(services);
        return app;
    }

    public T CreateFunction<T>() where T : class => ActivatorUtilities.CreateInstance<T>(Services);

    /// <summary>
    /// Starts a new app process on the same port and task hub, with <paramref name="services"/> (an
    /// <see cref="IAppProcessServices"/> type) added; returns once its worker is connected.
    /// </summary>
    public async Task StartProcessAsync(Type? services = null)
    {
        var storage = await Azurite.GetAsync();
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardInput = true, // the child exits when this closes, so it never outlives the test run
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])[typeof(ChildProcessApp).Assembly.Location, "serve-app", $"{_port}", services?.FullName ?? ""])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[Azurite.StorageVariable] = storage.ConnectionString;
        start.Environment[SettingsVariable] = JsonSerializer.Serialize(_settings);
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the app process.");
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line && errors.Count < 200)
            {
                errors.Enqueue(line);
            }
        };
        _process.BeginErrorReadLine();

        using var timeout = new Deadline(TimeSpan.FromSeconds(120));
        try
        {
            while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line == "ready")
                {
                    return;
                }
            }

            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"The app process was not ready ({timeout}):{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
        }

        throw new InvalidOperationException(
            $"The app process exited ({_process.ExitCode}) before it was ready:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
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
    internal static async Task ServeAsync(int port, string servicesType)
    {
        // WORKFLOWS_TEST_STORAGE and the settings come from the parent.
        var settings = JsonSerializer.Deserialize<Dictionary<string, string?>>(Environment.GetEnvironmentVariable(SettingsVariable)!)!;
        var services = servicesType.Length == 0
            ? null
            : (IAppProcessServices)Activator.CreateInstance(typeof(ChildProcessApp).Assembly.GetType(servicesType, throwOnError: true)!)!;
        // Short visibility timeouts: activities and orchestration episodes lost with a killed process are redelivered
        // within seconds instead of the default 5 minutes (every episode and activity here is far shorter than these).
        var backend = await AzureStorageBackend.CreateAsync(settings, b =>
        {
            b.WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(3);
            b.ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(15);
        });
        await using var sidecar = await Sidecar.StartAsync(backend, backend, port);
        using var channel = GrpcChannel.ForAddress(sidecar.Address);
        var worker = WorkerHost.Build(channel, settings, services is null ? null : services.Configure, FunctionCatalog.Discover(typeof(ChildProcessApp).Assembly));
        await worker.StartAsync();
        Console.WriteLine("ready");
        await Console.In.ReadToEndAsync();
        await WorkerHost.StopAsync(worker);
    }
}
