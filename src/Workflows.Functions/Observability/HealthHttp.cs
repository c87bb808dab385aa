using System.Reflection;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Workflows.Shared.Http;

namespace Workflows.Observability;

/// <summary>What <c>GET /api/health</c> answers: overall status, the app's version and each check's status.</summary>
public sealed record HealthReport(string Status, string Version, IReadOnlyDictionary<string, string> Checks);

/// <summary>
/// <c>GET /api/health</c>, anonymous, for load balancers, deployment smoke tests and uptime probes: the app's storage
/// (blob, queue, table) and the task hub answer. The body says only which check failed; why is logged, naming the
/// setting to fix, never returned.
/// </summary>
public sealed class HealthHttp(BlobServiceClient blobs, QueueServiceClient queues, TableServiceClient tables, ILogger<HealthHttp> logger)
{
    private const string ProbeInstanceId = "health-probe";
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(10);

    public static readonly string Version =
        typeof(HealthHttp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    [Function(nameof(GetHealth))]
    public async Task<IActionResult> GetHealth(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest req,
        [DurableClient] DurableTaskClient client,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(req);
        ArgumentNullException.ThrowIfNull(client);
        var storage = CheckAsync("storage", async token =>
        {
            await blobs.GetBlobContainersAsync(cancellationToken: token).AsPages(pageSizeHint: 1).FirstAsync(token);
            await queues.GetQueuesAsync(cancellationToken: token).AsPages(pageSizeHint: 1).FirstAsync(token);
            await tables.QueryAsync(maxPerPage: 1, cancellationToken: token).AsPages().FirstAsync(token);
        }, ct);
        var taskHub = CheckAsync("taskHub", token => client.GetInstanceAsync(ProbeInstanceId, token), ct);

        Dictionary<string, string> checks = new()
        {
            ["storage"] = await storage ? "Healthy" : "Unhealthy",
            ["taskHub"] = await taskHub ? "Healthy" : "Unhealthy",
        };
        if (checks.Values.All(v => v == "Healthy"))
        {
            return new OkObjectResult(new HealthReport("Healthy", Version, checks));
        }

        var problem = ApiResults.Problem(StatusCodes.Status503ServiceUnavailable, "Unhealthy",
            $"Not reachable: {string.Join(", ", checks.Where(c => c.Value != "Healthy").Select(c => c.Key))}.");
        ((ProblemDetails)problem.Value!).Extensions["checks"] = checks;
        ((ProblemDetails)problem.Value!).Extensions["version"] = Version;
        return problem;
    }

    private async Task<bool> CheckAsync(string name, Func<CancellationToken, Task> check, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            await check(timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError(ex, "Health check {Check} failed: {Reason}", name, ex.Message);
            return false;
        }
    }
}
