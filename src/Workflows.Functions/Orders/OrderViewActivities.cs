using Microsoft.Azure.Functions.Worker;
using Workflows.Observability;
using Workflows.Orders.Storage;

namespace Workflows.Orders;

public sealed class OrderViewActivities(OrderViewStore views, OrderEventPublisher events)
{
    /// <summary>Writes one step of the saga into the order view (what <c>GET /api/orders/{id}</c> returns).</summary>
    [Function(nameof(RecordOrderProgress))]
    public async Task<OrderStatus> RecordOrderProgress([ActivityTrigger] RecordProgressRequest request, CancellationToken ct)
    {
        var view = await views.ApplyAsync(request, ct);
        return view.Status;
    }

    /// <summary>Publishes the order's final event to the events queue (at least once; consumers dedupe by EventId).</summary>
    [Function(nameof(PublishOrderEvent))]
    public async Task<string> PublishOrderEvent([ActivityTrigger] OrderEvent orderEvent, CancellationToken ct)
    {
        await events.PublishAsync(orderEvent, ct);
        WorkflowMetrics.OrderFinished(orderEvent.Type.ToString());
        return orderEvent.EventId;
    }
}
