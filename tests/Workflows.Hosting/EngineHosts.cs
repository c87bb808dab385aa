using System.Net;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Workflows.Hosting;

/// <summary>
/// The engine side of an app: a Durable Task backend (in-memory or Azure Storage) behind the gRPC sidecar from the
/// InProcessTestHost package, on a loopback port chosen by the OS. Workers and clients connect to it over gRPC, which is
/// how the Functions host's Durable extension talks to the isolated worker too.
/// </summary>
public sealed class Sidecar : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Sidecar(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    public string Address { get; }

    public int Port => new Uri(Address).Port;

    public static async Task<Sidecar> StartAsync(IOrchestrationService service, IOrchestrationServiceClient client, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        FileLoggerProvider.AddIfRequested(builder.Logging);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IOrchestrationService>(new StorableEventsService(service));
        builder.Services.AddSingleton(client);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var app = builder.Build();
        app.MapGrpcService<TaskHubGrpcServer>();
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new Sidecar(app, address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}

/// <summary>Builds the worker-side host: the app's composition root plus the Durable Task worker and/or client.</summary>
public static class WorkerHost
{
    public static IHost Build(
        GrpcChannel channel,
        IReadOnlyDictionary<string, string?> settings,
        Action<IServiceCollection>? services,
        IReadOnlyList<DurableFunction>? functions,
        Action<DurableTaskWorkerOptions>? workerOptions = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging(logging =>
        {
            logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
            FileLoggerProvider.AddIfRequested(logging);
        });

        builder.Services.AddWorkflows(builder.Configuration);
        services?.Invoke(builder.Services);

        if (functions is not null)
        {
            builder.Services.AddDurableTaskWorker(worker =>
            {
                worker.UseGrpc(channel);
                worker.AddTasks(registry => FunctionCatalog.Register(registry, functions));
                if (workerOptions is not null)
                {
                    worker.Configure(workerOptions);
                }
            });
        }

        builder.Services.AddDurableTaskClient(client =>
        {
            client.UseGrpc(channel);
            client.RegisterDirectly();
        });
        return builder.Build();
    }

    public static async Task StopAsync(IHost host)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await host.StopAsync(timeout.Token);
        }
        finally
        {
            host.Dispose();
        }
    }
}
