using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workflows.Shared.Http;

namespace Workflows.Observability;

/// <summary>What <c>GET /api/health</c> answers: overall status, the app's version and each check's status.</summary>
public sealed record HealthReport(string Status, string Version, IReadOnlyDictionary<string, string> Checks);

/// <summary>
/// <c>GET /api/health</c>, anonymous, for load balancers, deployment smoke tests and uptime probes: the app's storage
/// (blob, queue, table) and the task hub answer (checked at most every 10 s, <see cref="HealthProbe"/>). The body says
/// only which check failed; why is logged, naming the setting to fix, never returned.
/// </summary>
public sealed class HealthHttp(HealthProbe probe)
{
    public static readonly string Version =
        typeof(HealthHttp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    [Function(nameof(GetHealth))]
    public async Task<IActionResult> GetHealth(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest req,
        [DurableClient] DurableTaskClient client,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(req);
        var checks = await probe.CheckAsync(client, ct);
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
}
