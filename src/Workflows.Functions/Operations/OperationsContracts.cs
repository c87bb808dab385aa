using System.Text.Json;
using Microsoft.DurableTask.Client;

namespace Workflows.Operations;

/// <summary>An orchestration instance as operators see it; custom status and output are the instance's own JSON.</summary>
public sealed record InstanceStatusResponse(
    string InstanceId,
    string Name,
    string RuntimeStatus,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    JsonElement? CustomStatus,
    JsonElement? Output,
    InstanceFailure? Failure)
{
    public static InstanceStatusResponse From(OrchestrationMetadata instance) => new(
        instance.InstanceId,
        instance.Name,
        instance.RuntimeStatus.ToString(),
        instance.CreatedAt,
        instance.LastUpdatedAt,
        Parse(instance.SerializedCustomStatus),
        Parse(instance.SerializedOutput),
        instance.FailureDetails is { } failure ? new InstanceFailure(failure.ErrorType, failure.ErrorMessage) : null);

    private static JsonElement? Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

public sealed record InstanceFailure(string ErrorType, string Message);

/// <summary>Optional body of a terminate request.</summary>
public sealed record TerminateInstanceRequest(string? Reason);
