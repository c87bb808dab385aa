using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Workflows.Shared;

namespace Workflows.Orders;

public static class OrderFulfilmentOrchestrator
{
    /// <summary>
    /// The order-fulfilment saga: price → reserve (fan-out) → approval when large → charge → ship (fan-out per warehouse)
    /// → commit stock → complete. Until every shipment is booked, a rejection, cancel or error undoes the registered steps
    /// in reverse; from then on the order only moves forward (<see cref="OrderCompletion"/>).
    /// </summary>
    [Function(nameof(OrderFulfilmentOrchestrator))]
    [NotRestartable(
        "its steps are keyed by the order id, so a second run would build on (or contradict) the money and stock the " +
        "first run moved or gave back. Place a new order with POST /api/orders instead.")]
    [TerminateSkipsCompensations(
        "Cancel the order with POST /api/orders/{id}/cancel: the saga then releases its stock and refunds any charge. " +
        "An order in CompensationFailed or CompletionFailed takes POST /api/orders/{id}/compensate or /resume.")]
    public static async Task<OrderOutcome> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context, PlaceOrder order)
    {
        var saga = new Compensations(context);
        var run = new OrderFulfilmentRun(context, order, saga);
        using var stopListening = new CancellationTokenSource();
        var cancelled = context.WaitForExternalEvent<CancelRequest>(OrderEvents.Cancel, stopListening.Token);
        PricedOrder priced;
        try
        {
            // 1. Price from the catalogue. Pricing writes no view: a started order without one reads as Received, and
            // the Received step (with its time) reaches the view with the first reservation (or the rejection).
            run.Note(OrderStatus.Received, "Received");
            var pricing = await context.CallActivityAsync<StepResult<PricedOrder>>(
                nameof(CatalogueActivities.PriceOrder), new PriceOrderRequest(order.OrderId, order.Lines), run.StepRetry);
            if (pricing.Rejection is { } unpriced)
            {
                return await run.StopAsync(OrderStatus.Failed, unpriced);
            }

            priced = pricing.Value!;
            run.Note(OrderStatus.Reserving, "Priced", priced);

            // 2. Reserve every line in parallel (the first carries the progress); each line's release is registered
            // before any reservation starts.
            var progress = run.Unwritten();
            var reserved = await saga.RunParallelAsync(
                priced.Lines,
                line => context.CallActivityAsync<StepResult<IReadOnlyList<StockAllocation>>>(
                    nameof(StockActivities.ReserveStock),
                    new ReserveStockRequest(
                        run.Key("reserve", line.Sku), order.OrderId, line.Sku, line.Quantity, ReferenceEquals(line, priced.Lines[0]) ? progress : null),
                    run.StepRetry),
                line => new Compensation(
                    nameof(StockActivities.ReleaseStock),
                    new StockLineRequest(run.Key("release", line.Sku), order.OrderId, line.Sku),
                    run.CompensationRetry));
            run.Written(progress);
            if (StepResult.FirstRejection(reserved) is { } outOfStock)
            {
                return await run.StopAsync(OrderStatus.Failed, outOfStock);
            }

            run.Note(OrderStatus.Reserving, "Reserved");
            if (cancelled.IsCompleted)
            {
                return await run.StopAsync(OrderStatus.Cancelled, cancelled.Result.Reason);
            }

            // 3. Large orders wait for approval, a cancel or the deadline, whichever comes first.
            if (priced.Total > order.Settings.ApprovalThreshold
                && await OrderApproval.WaitAsync(context, run, cancelled) is { } refusal)
            {
                return await run.StopAsync(OrderStatus.Cancelled, refusal);
            }

            // 4. Charge. The refund is registered first, so a charge that half-happened is refunded too.
            run.Note(OrderStatus.Charging, "Charging");
            var chargeKey = run.Key("charge");
            saga.Register(new Compensation(
                nameof(PaymentActivities.RefundPayment),
                new RefundPaymentRequest(run.Key("refund"), chargeKey, order.OrderId),
                run.CompensationRetry));
            var charge = await run.StepAsync<StepResult<PaymentReceipt>>(
                nameof(PaymentActivities.ChargePayment),
                progress => new ChargePaymentRequest(chargeKey, order.OrderId, order.PaymentToken, priced.Total, priced.Currency, progress),
                run.PaymentRetry);
            if (charge.Rejection is { } declined)
            {
                return await run.StopAsync(OrderStatus.Failed, declined);
            }

            run.Note(OrderStatus.Charging, "Charged");
            if (cancelled.IsCompleted)
            {
                return await run.StopAsync(OrderStatus.Cancelled, cancelled.Result.Reason); // last point a cancel is honoured
            }

            // 5. One shipment per warehouse, in parallel (the first carries the progress); each cancellation is registered
            // before any booking starts.
            run.Note(OrderStatus.Shipping, "Shipping");
            progress = run.Unwritten();
            var parcels = ShipmentsByWarehouse(run, reserved.Select(r => r.Value!));
            parcels[0] = parcels[0] with { Progress = progress };
            var shipped = await saga.RunParallelAsync(
                parcels,
                parcel => context.CallActivityAsync<StepResult<ShipmentBooking>>(
                    nameof(ShipmentActivities.CreateShipment), parcel, run.StepRetry),
                parcel => new Compensation(
                    nameof(ShipmentActivities.CancelShipment),
                    new CancelShipmentRequest(parcel.Key, order.OrderId, parcel.Warehouse),
                    run.CompensationRetry));
            run.Written(progress);
            if (StepResult.FirstRejection(shipped) is { } undeliverable)
            {
                return await run.StopAsync(OrderStatus.Failed, undeliverable);
            }
        }
        catch (TaskFailedException ex)
        {
            // Unexpected (retries exhausted) before the point of no return: undo what was done, then fail the instance.
            await run.StopUnexpectedlyAsync(ex);
            throw;
        }
        finally
        {
            stopListening.Cancel();
        }

        // 6. The point of no return: every shipment is booked. Commit the stock and complete, only ever forward.
        return await OrderCompletion.RunAsync(context, run, priced);
    }

    private static List<CreateShipmentRequest> ShipmentsByWarehouse(
        OrderFulfilmentRun run, IEnumerable<IReadOnlyList<StockAllocation>> reserved) =>
        reserved.SelectMany(line => line)
            .GroupBy(a => a.Warehouse, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CreateShipmentRequest(
                run.Key("ship", g.Key), run.Order.OrderId, g.Key, g.ToList(), run.Order.ShippingAddress))
            .ToList();
}
