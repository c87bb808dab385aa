using Microsoft.Azure.Functions.Worker;
using Workflows.Orders.Storage;

namespace Workflows.Orders;

public sealed class OrderViewActivities(OrderViewStore views, OrderEventPublisher events)
{
    /// <summary>
    /// Writes the saga's latest steps into the order view (what <c>GET /api/orders/{id}</c> returns), where no business
    /// step follows to carry them: at the end, and before the saga waits or compensates.
    /// </summary>
    [Function(nameof(RecordOrderProgress))]
    public async Task<OrderStatus> RecordOrderProgress([ActivityTrigger] IReadOnlyList<RecordProgressRequest> progress, CancellationToken ct)
    {
        var view = await views.ApplyAsync(progress, ct) ?? throw new ArgumentException("No progress to record.", nameof(progress));
        return view.Status;
    }

    /// <summary>Publishes the order's final event to the events queue (at least once; consumers dedupe by EventId).</summary>
    [Function(nameof(PublishOrderEvent))]
    public async Task<string> PublishOrderEvent([ActivityTrigger] OrderEvent orderEvent, CancellationToken ct)
    {
        await events.PublishAsync(orderEvent, ct);
        return orderEvent.EventId;
    }
}
