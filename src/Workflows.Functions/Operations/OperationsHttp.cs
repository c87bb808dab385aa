using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Workflows.Shared.Http;

namespace Workflows.Operations;

/// <summary>Validation and problem-details responses (<c>application/problem+json</c>) shared by the operations endpoints.</summary>
internal static class OperationsHttp
{
    private const int MaxInstanceIdLength = 256;

    public static string StatusUrl(HttpRequest req, string instanceId) =>
        ApiResults.Url(req, $"operations/instances/{Uri.EscapeDataString(instanceId)}");

    /// <summary>Instance IDs become storage keys: reject what the task hub cannot store before touching it.</summary>
    public static bool IsValidInstanceId(string? instanceId) =>
        !string.IsNullOrWhiteSpace(instanceId)
        && instanceId.Length <= MaxInstanceIdLength
        && !instanceId.Any(c => char.IsControl(c) || c is '/' or '\\' or '#' or '?');

    public static bool IsFinished(OrchestrationRuntimeStatus status) =>
        status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;

    public static ObjectResult InvalidInstanceId(HttpRequest req) => Problem(req, StatusCodes.Status400BadRequest,
        "Invalid instance ID.", $"An instance ID has 1-{MaxInstanceIdLength} characters and no '/', '\\', '#', '?' or control characters.");

    public static ObjectResult BadRequest(HttpRequest req, string detail) =>
        Problem(req, StatusCodes.Status400BadRequest, "Invalid request.", detail);

    public static ObjectResult NotFound(HttpRequest req, string instanceId) =>
        Problem(req, StatusCodes.Status404NotFound, "Instance not found.", $"No orchestration instance '{instanceId}'.");

    public static ObjectResult Conflict(HttpRequest req, string detail) =>
        Problem(req, StatusCodes.Status409Conflict, "Instance is in the wrong state.", detail);

    private static ObjectResult Problem(HttpRequest req, int status, string title, string detail) =>
        ApiResults.Problem(status, title, detail, req.Path);
}
