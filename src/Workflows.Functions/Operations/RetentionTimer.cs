using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace Workflows.Operations;

/// <summary>
/// Task-hub retention: every hour, purges up to <c>Operations:PurgeBatchSize</c> instances that finished more than
/// <c>Operations:InstanceRetention</c> (30 days) ago, with their sub-orchestrations, logging each. A backlog drains over
/// successive runs. Only the task hub is touched, and an order's reservation claim rows (deleted first,
/// <see cref="InstancePurger"/>): order views, asset records and blobs stay.
/// </summary>
public sealed class RetentionTimer(InstancePurger purger, IOptions<OperationsOptions> options, TimeProvider time)
{
    [Function(nameof(PurgeExpiredWorkflows))]
    public async Task PurgeExpiredWorkflows(
        [TimerTrigger("0 20 * * * *")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken ct)
    {
        var settings = options.Value;
        await purger.PurgeFinishedAsync(
            client, OperationsHttp.Finished, time.GetUtcNow() - settings.InstanceRetention, settings.PurgeBatchSize, ct);
    }
}
