using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Workflows.Observability;

/// <summary>
/// Checks that the app's storage (blob, queue, table) and the task hub answer, at most once per <see cref="CacheFor"/>
/// per process: <c>GET /api/health</c> is anonymous, so without this anyone could turn requests into storage calls.
/// Concurrent callers share one check; each failure is logged once per check, naming the setting to fix.
/// </summary>
public sealed class HealthProbe(
    BlobServiceClient blobs, QueueServiceClient queues, TableServiceClient tables, TimeProvider time, ILogger<HealthProbe> logger)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    private const string ProbeInstanceId = "health-probe";
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(10);
    private readonly Lock _lock = new();
    private (Task<IReadOnlyDictionary<string, string>> Checks, DateTimeOffset Started)? _last;

    /// <summary>
    /// Each check's status, <c>Healthy</c> or <c>Unhealthy</c>: the last check's if it started less than
    /// <see cref="CacheFor"/> ago (or is still running), else a new one's. A caller that gives up does not cancel it.
    /// </summary>
    public Task<IReadOnlyDictionary<string, string>> CheckAsync(DurableTaskClient client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (_last is not { } last || (last.Checks.IsCompleted && now - last.Started >= CacheFor))
            {
                _last = last = (RunChecksAsync(client), now);
            }

            return last.Checks.WaitAsync(ct);
        }
    }

    private async Task<IReadOnlyDictionary<string, string>> RunChecksAsync(DurableTaskClient client)
    {
        var storage = RunAsync("storage", async token =>
        {
            await blobs.GetBlobContainersAsync(cancellationToken: token).AsPages(pageSizeHint: 1).FirstAsync(token);
            await queues.GetQueuesAsync(cancellationToken: token).AsPages(pageSizeHint: 1).FirstAsync(token);
            await tables.QueryAsync(maxPerPage: 1, cancellationToken: token).AsPages().FirstAsync(token);
        });
        var taskHub = RunAsync("taskHub", token => client.GetInstanceAsync(ProbeInstanceId, token));
        return new Dictionary<string, string>
        {
            ["storage"] = await storage ? "Healthy" : "Unhealthy",
            ["taskHub"] = await taskHub ? "Healthy" : "Unhealthy",
        };
    }

    private async Task<bool> RunAsync(string name, Func<CancellationToken, Task> check)
    {
        using var timeout = new CancellationTokenSource(CheckTimeout);
        try
        {
            await check(timeout.Token);
            return true;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Health check {Check} failed: {Reason}", name, ex.Message);
            return false;
        }
    }
}
