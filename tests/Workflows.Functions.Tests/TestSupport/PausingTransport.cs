using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;

namespace Workflows.Tests.TestSupport;

/// <summary>
/// An Azure SDK transport that holds one chosen storage request until a callback has run, then sends it: the test
/// puts something else (a late activity) between two steps of the app's code, exactly there.
/// </summary>
internal sealed class PausingTransport : HttpPipelineTransport
{
    private static readonly HttpPipelineTransport Network = HttpClientTransport.Shared;
    private readonly Lock _lock = new();
    private (Func<Request, bool> Matches, Func<Task> Meanwhile)? _pause;

    /// <summary>Runs <paramref name="meanwhile"/> before the next request <paramref name="matches"/> picks (once).</summary>
    public void PauseOnce(Func<Request, bool> matches, Func<Task> meanwhile)
    {
        lock (_lock)
        {
            _pause = (matches, meanwhile);
        }
    }

    /// <summary>Puts this transport into every storage client the app builds (blob, queue, table).</summary>
    public void InjectIntoAppStorage(IServiceCollection services) =>
        services.AddAzureClients(clients => clients.ConfigureDefaults(options => options.Transport = this));

    public override Request CreateRequest() => Network.CreateRequest();

    public override void Process(HttpMessage message)
    {
        Take(message.Request)?.Invoke().GetAwaiter().GetResult();
        Network.Process(message);
    }

    public override async ValueTask ProcessAsync(HttpMessage message)
    {
        if (Take(message.Request) is { } meanwhile)
        {
            await meanwhile();
        }

        await Network.ProcessAsync(message);
    }

    private Func<Task>? Take(Request request)
    {
        lock (_lock)
        {
            if (_pause is not { } pause || !pause.Matches(request))
            {
                return null;
            }

            _pause = null;
            return pause.Meanwhile;
        }
    }
}
