using DurableTask.Core.Exceptions;
using Grpc.Core;
using Microsoft.DurableTask.Client;

namespace Workflows.Shared;

/// <summary>Starting an orchestration under a business instance id exactly once, whatever the backend does with a reused id.</summary>
internal static class InstanceStarts
{
    /// <summary>
    /// Every status: an existing instance is never replaced. Without this, a backend may accept a second start of an id
    /// (the Azure Storage backend does), so two racing starters would both "succeed".
    /// </summary>
    public static readonly OrchestrationRuntimeStatus[] DedupeStatuses =
    [
        OrchestrationRuntimeStatus.Pending,
        OrchestrationRuntimeStatus.Running,
        OrchestrationRuntimeStatus.Suspended,
        OrchestrationRuntimeStatus.Completed,
        OrchestrationRuntimeStatus.Failed,
        OrchestrationRuntimeStatus.Terminated,
    ];

    /// <summary>
    /// The instance id of a sub-orchestration: <c>{parentId}:{key}</c>. Every sub-orchestration of the app is named so,
    /// which is how purging a parent finds its children (every generation of a parent that continued as new, every
    /// depth) with one prefix query; business ids never contain ':'.
    /// </summary>
    public static string ChildId(string parentId, string key) => $"{ChildPrefix(parentId)}{key}";

    public static string ChildPrefix(string parentId) => parentId + ":";

    /// <summary>True when a start lost the race to another start of the same instance id.</summary>
    public static bool IsAlreadyExists(Exception ex) =>
        ex is OrchestrationAlreadyExistsException or RpcException { StatusCode: StatusCode.AlreadyExists };
}
