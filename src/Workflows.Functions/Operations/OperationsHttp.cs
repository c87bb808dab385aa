using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Workflows.Shared.Http;

namespace Workflows.Operations;

/// <summary>Validation, look-up and problem-details responses (<c>application/problem+json</c>) shared by the workflow endpoints.</summary>
internal static class OperationsHttp
{
    private const int MaxInstanceIdLength = 256;

    public static readonly OrchestrationRuntimeStatus[] Finished =
        [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    public static string WorkflowUrl(HttpRequest req, string instanceId) =>
        ApiResults.Url(req, $"workflows/{Uri.EscapeDataString(instanceId)}");

    /// <summary>Instance IDs become storage keys: reject what the task hub cannot store before touching it.</summary>
    public static bool IsValidInstanceId(string? instanceId) =>
        !string.IsNullOrWhiteSpace(instanceId)
        && instanceId.Length <= MaxInstanceIdLength
        && !instanceId.Any(c => char.IsControl(c) || c is '/' or '\\' or '#' or '?');

    public static bool IsFinished(OrchestrationRuntimeStatus status) => Finished.Contains(status);

    /// <summary>The instance, or the 400 (bad id) / 404 (unknown) to answer instead.</summary>
    public static async Task<(OrchestrationMetadata? Instance, ObjectResult? Problem)> FindAsync(
        HttpRequest req, DurableTaskClient client, string instanceId, bool getInputsAndOutputs = false)
    {
        if (!IsValidInstanceId(instanceId))
        {
            return (null, InvalidInstanceId(req));
        }

        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs, req.HttpContext.RequestAborted);
        return instance is null ? (null, NotFound(req, instanceId)) : (instance, null);
    }

    public static ObjectResult InvalidInstanceId(HttpRequest req) => Problem(req, StatusCodes.Status400BadRequest,
        "Invalid instance ID.", $"An instance ID has 1-{MaxInstanceIdLength} characters and no '/', '\\', '#', '?' or control characters.");

    public static ObjectResult BadRequest(HttpRequest req, string detail) =>
        Problem(req, StatusCodes.Status400BadRequest, "Invalid request.", detail);

    public static ObjectResult NotFound(HttpRequest req, string instanceId) =>
        Problem(req, StatusCodes.Status404NotFound, "Instance not found.", $"No orchestration instance '{instanceId}'.");

    public static ObjectResult Conflict(HttpRequest req, string detail) =>
        Problem(req, StatusCodes.Status409Conflict, "Instance is in the wrong state.", detail);

    public static ObjectResult Unavailable(HttpRequest req, string detail) =>
        Problem(req, StatusCodes.Status503ServiceUnavailable, "Try again later.", detail);

    public static ObjectResult TooLarge(HttpRequest req, int maxBytes) =>
        Problem(req, StatusCodes.Status413PayloadTooLarge, "Body too large.", $"The body has at most {maxBytes} bytes.");

    /// <summary>
    /// Reads an optional JSON body of at most <paramref name="maxBytes"/>: (null, null) when there is none, the parsed
    /// document, or the 400/413 to answer. The body may be chunked (no Content-Length).
    /// </summary>
    public static async Task<(JsonElement? Body, ObjectResult? Problem)> ReadJsonAsync(HttpRequest req, int maxBytes)
    {
        var buffer = new byte[maxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await req.Body.ReadAsync(buffer.AsMemory(length), req.HttpContext.RequestAborted)) > 0)
        {
            length += read;
        }

        if (length > maxBytes)
        {
            return (null, TooLarge(req, maxBytes));
        }

        if (buffer.AsSpan(0, length).Trim(" \t\r\n"u8).IsEmpty)
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException ex)
        {
            return (null, BadRequest(req, $"The body is not valid JSON: {ex.Message}"));
        }
    }

    /// <summary>202 with the instance's URL, for a command the engine will carry out.</summary>
    public static AcceptedResult Accepted(HttpRequest req, string instanceId, string requested) =>
        new(WorkflowUrl(req, instanceId), new { instanceId, requested, url = WorkflowUrl(req, instanceId) });

    private static ObjectResult Problem(HttpRequest req, int status, string title, string detail) =>
        ApiResults.Problem(status, title, detail, req.Path);
}
