using Microsoft.Azure.Functions.Worker;
using Workflows.Orders.Storage;

namespace Workflows.Orders;

public sealed class OrderViewActivities(OrderViewStore views, OrderEventPublisher events)
{
    /// <summary>
    /// Writes the saga's latest steps into the order view (what <c>GET /api/orders/{id}</c> returns), where no business
    /// step follows to carry them: before the saga waits, compensates or parks (the final status rides on the publish).
    /// </summary>
    [Function(nameof(RecordOrderProgress))]
    public async Task<OrderStatus> RecordOrderProgress([ActivityTrigger] IReadOnlyList<RecordProgressRequest> progress, CancellationToken ct)
    {
        var view = await views.ApplyAsync(progress, ct) ?? throw new ArgumentException("No progress to record.", nameof(progress));
        return view.Status;
    }

    /// <summary>
    /// The saga's last step: publishes the order's event to the events queue (at least once; consumers dedupe by EventId)
    /// and writes its final status into the order view, in the order the request says (<see cref="PublishOrderEventRequest"/>),
    /// as the two separate steps did. A retry does both again: the same view (no change) and a duplicate event.
    /// </summary>
    [Function(nameof(PublishOrderEvent))]
    public async Task<string> PublishOrderEvent([ActivityTrigger] PublishOrderEventRequest request, CancellationToken ct)
    {
        if (request.PublishFirst)
        {
            await events.PublishAsync(request.Event, ct);
            await views.ApplyAsync(request.Progress, ct);
        }
        else
        {
            await views.ApplyAsync(request.Progress, ct);
            await events.PublishAsync(request.Event, ct);
        }

        return request.Event.EventId;
    }
}
