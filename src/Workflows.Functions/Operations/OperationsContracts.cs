using System.Text.Json;
using Microsoft.DurableTask.Client;

namespace Workflows.Operations;

/// <summary>An orchestration instance in the list.</summary>
public sealed record WorkflowSummary(
    string InstanceId, string Name, string RuntimeStatus, DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt, string Url)
{
    public static WorkflowSummary From(OrchestrationMetadata instance, string url) => new(
        instance.InstanceId, instance.Name, instance.RuntimeStatus.ToString(), instance.CreatedAt, instance.LastUpdatedAt, url);
}

/// <summary>
/// An orchestration instance as operators see it: custom status, failure, whether it may be restarted and what to do
/// instead of terminating it (null when terminating loses nothing) always, input,
/// output and history when asked for (they can be large). Custom status, input and output are the instance's own JSON.
/// </summary>
public sealed record WorkflowDetails(
    string InstanceId,
    string Name,
    string RuntimeStatus,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    JsonElement? CustomStatus,
    InstanceFailure? Failure,
    bool Restartable,
    string? InsteadOfTerminate,
    JsonElement? Input,
    JsonElement? Output,
    IReadOnlyList<WorkflowHistoryEvent>? History)
{
    public static WorkflowDetails From(
        OrchestrationMetadata instance, bool input, bool output, IReadOnlyList<WorkflowHistoryEvent>? history) => new(
        instance.InstanceId,
        instance.Name,
        instance.RuntimeStatus.ToString(),
        instance.CreatedAt,
        instance.LastUpdatedAt,
        Parse(instance.SerializedCustomStatus),
        instance.FailureDetails is { } failure ? new InstanceFailure(failure.ErrorType, failure.ErrorMessage) : null,
        OperatorPolicy.WhyNotRestart(instance.Name) is null,
        OperatorPolicy.InsteadOfTerminate(instance.Name),
        input ? Parse(instance.SerializedInput) : null,
        output ? Parse(instance.SerializedOutput) : null,
        history);

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

/// <summary>One event of an instance's history: its type, time, and the name or detail it carries.</summary>
public sealed record WorkflowHistoryEvent(int EventId, string Type, DateTime Timestamp, string? Name, string? Detail);

/// <summary>Optional body of terminate, suspend and resume.</summary>
public sealed record WorkflowReason(string? Reason);

/// <summary>The 202 body of a restart: which instance runs now, and whether it kept the old id.</summary>
public sealed record WorkflowRestarted(string InstanceId, string RestartedFrom, bool IdReused, string Url);

/// <summary>
/// The body of a purge: how many instances (sub-orchestrations included) went; <c>Kept</c>, how many of the finished
/// instances taken up were left in place because a sub-orchestration still runs or a feature's clean-up before the purge
/// failed (they qualify again: retry later); <c>More</c>, that calling again now purges further ones.
/// </summary>
public sealed record WorkflowsPurged(int Purged, bool More, int Kept = 0);

/// <summary>Body of <c>POST /api/workflows/purge</c>: finished instances in these statuses, finished that many days ago or more.</summary>
public sealed record PurgeWorkflowsRequest(IReadOnlyList<string>? Statuses, double? OlderThanDays);
