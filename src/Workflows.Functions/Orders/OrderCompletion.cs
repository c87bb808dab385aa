using Microsoft.DurableTask;

namespace Workflows.Orders;

/// <summary>
/// The saga after the point of no return (every shipment booked): commit the stock (carrying Shipped into the view),
/// then publish OrderCompleted and record Completed (one activity: the event first). The goods are leaving, so nothing is compensated: each step retries under the long CompletionRetry
/// policy, and one that still fails parks the order in CompletionFailed until an operator resumes it
/// (<c>POST /api/orders/{id}/resume</c>); it then goes on from the step that failed. Every step is idempotent.
/// </summary>
internal static class OrderCompletion
{
    public static async Task<OrderOutcome> RunAsync(TaskOrchestrationContext context, OrderFulfilmentRun run, PricedOrder priced)
    {
        var retry = run.CompletionRetry;
        var skus = priced.Lines.Select(l => l.Sku).ToList();
        run.Note(OrderStatus.Completing, "Shipped");
        await run.UntilDoneAsync(nameof(StockActivities.CommitStock), () => run.StepAsync<int>(
            nameof(StockActivities.CommitStock), progress => new CommitStockRequest(run.Key("commit"), run.Order.OrderId, skus, progress), retry),
            resumed: OrderStatus.Completing);
        await run.UntilDoneAsync(nameof(OrderEventType.OrderCompleted), () => run.FinishAsync(OrderStatus.Completed, OrderEventType.OrderCompleted, null, retry),
            resumed: OrderStatus.Completing);

        return new OrderOutcome(run.Order.OrderId, OrderStatus.Completed, priced.Total, null);
    }
}
