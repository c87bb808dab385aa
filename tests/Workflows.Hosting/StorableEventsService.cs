using DurableTask.Core;
using DurableTask.Core.History;

namespace Workflows.Hosting;

/// <summary>
/// Puts a backend behind the test sidecar (Microsoft.DurableTask.InProcessTestHost 0.2.3-preview.1, the only release)
/// so that what the sidecar commits is storable: its sub-orchestration start messages carry the gRPC request's
/// protobuf <c>MapField</c> as <c>Tags</c>, which DurableTask.AzureStorage writes to the control queue with its type
/// name and then cannot read back: every child's start message fails to deserialize and is retried forever, and the
/// parent waits for ever (the bulk reprocess's stall). And it records a sub-orchestration's start in the parent's
/// history as a subclass without <c>[DataContract]</c>, which the backend's table serializer writes as a row with no
/// properties (not even <c>EventType</c>), so the parent's history can never be loaded again. The Durable extension of
/// the real Functions host copies the tags into a dictionary and records the plain event (as durabletask-dotnet's main
/// branch does for the tags, #695, not yet released). Every other call passes through.
/// </summary>
public sealed class StorableEventsService(IOrchestrationService inner) : IOrchestrationService
{
    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        ArgumentNullException.ThrowIfNull(orchestratorMessages);
        foreach (var message in orchestratorMessages)
        {
            if (message.Event is ExecutionStartedEvent { Tags: { } tags } started && tags is not Dictionary<string, string>)
            {
                started.Tags = new Dictionary<string, string>(tags, StringComparer.Ordinal);
            }
        }

        var state = newOrchestrationRuntimeState ?? workItem?.OrchestrationRuntimeState;
        for (var i = 0; state is not null && i < state.NewEvents.Count; i++)
        {
            if (state.NewEvents[i] is SubOrchestrationInstanceCreatedEvent created && created.GetType() != typeof(SubOrchestrationInstanceCreatedEvent))
            {
                var plain = Plain(created);
                state.Events[state.Events.IndexOf(created)] = plain;
                state.NewEvents[i] = plain;
            }
        }

        return inner.CompleteTaskOrchestrationWorkItemAsync(
            workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);
    }

    private static SubOrchestrationInstanceCreatedEvent Plain(SubOrchestrationInstanceCreatedEvent created) =>
        new(created.EventId)
        {
            Timestamp = created.Timestamp,
            IsPlayed = created.IsPlayed,
            Name = created.Name,
            Version = created.Version,
            InstanceId = created.InstanceId,
            Input = created.Input,
            ClientSpanId = created.ClientSpanId,
            Tags = created.Tags is null ? null : new Dictionary<string, string>(created.Tags, StringComparer.Ordinal),
        };

    public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;

    public int MaxConcurrentTaskOrchestrationWorkItems => inner.MaxConcurrentTaskOrchestrationWorkItems;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;

    public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;

    public int MaxConcurrentTaskActivityWorkItems => inner.MaxConcurrentTaskActivityWorkItems;

    public Task StartAsync() => inner.StartAsync();

    public Task StopAsync() => inner.StopAsync();

    public Task StopAsync(bool isForced) => inner.StopAsync(isForced);

    public Task CreateAsync() => inner.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();

    public Task DeleteAsync() => inner.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) =>
        inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => inner.GetDelayInSecondsAfterOnProcessException(exception);

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => inner.GetDelayInSecondsAfterOnFetchException(exception);

    public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.AbandonTaskOrchestrationWorkItemAsync(workItem);

    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);

    public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);

    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) =>
        inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);

    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => inner.AbandonTaskActivityWorkItemAsync(workItem);
}
