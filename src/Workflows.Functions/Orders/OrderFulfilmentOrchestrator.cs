using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Workflows.Shared;

namespace Workflows.Orders;

public static class OrderFulfilmentOrchestrator
{
    /// <summary>
    /// The order-fulfilment saga: price → reserve (fan-out) → approval when large → charge → ship (fan-out per warehouse)
    /// → commit stock → complete. Every step registers its undo first; a rejection, cancel or error compensates in reverse.
    /// </summary>
    [Function(nameof(OrderFulfilmentOrchestrator))]
    public static async Task<OrderOutcome> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context, PlaceOrder order)
    {
        var saga = new Compensations(context);
        var run = new OrderFulfilmentRun(context, order, saga);
        using var stopListening = new CancellationTokenSource();
        var cancelled = context.WaitForExternalEvent<CancelRequest>(OrderEvents.Cancel, stopListening.Token);
        try
        {
            // 1. Price from the catalogue.
            await run.RecordAsync(OrderStatus.Received, "Received");
            var priced = await context.CallActivityAsync<PricedOrder>(
                nameof(CatalogueActivities.PriceOrder), new PriceOrderRequest(order.OrderId, order.Lines), run.StepRetry);
            await run.RecordAsync(OrderStatus.Reserving, "Priced", priced);

            // 2. Reserve every line in parallel; only lines that were reserved get their release registered.
            var reserved = await saga.RunParallelAsync(
                priced.Lines,
                line => context.CallActivityAsync<IReadOnlyList<StockAllocation>>(
                    nameof(StockActivities.ReserveStock),
                    new ReserveStockRequest(run.Key("reserve", line.Sku), order.OrderId, line.Sku, line.Quantity),
                    run.StepRetry),
                (line, _) => new Compensation(
                    nameof(StockActivities.ReleaseStock),
                    new StockLineRequest(run.Key("release", line.Sku), order.OrderId, line.Sku),
                    run.CompensationRetry));
            await run.RecordAsync(OrderStatus.Reserving, "Reserved");
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
            await run.RecordAsync(OrderStatus.Charging, "Charging");
            var chargeKey = run.Key("charge");
            saga.Register(new Compensation(
                nameof(PaymentActivities.RefundPayment),
                new RefundPaymentRequest(run.Key("refund"), chargeKey, order.OrderId),
                run.CompensationRetry));
            await context.CallActivityAsync<PaymentReceipt>(
                nameof(PaymentActivities.ChargePayment),
                new ChargePaymentRequest(chargeKey, order.OrderId, order.PaymentToken, priced.Total, priced.Currency),
                run.PaymentRetry);
            await run.RecordAsync(OrderStatus.Charging, "Charged");
            if (cancelled.IsCompleted)
            {
                return await run.StopAsync(OrderStatus.Cancelled, cancelled.Result.Reason); // last point a cancel is honoured
            }

            // 5. One shipment per warehouse, in parallel; only booked shipments get their cancellation registered.
            await run.RecordAsync(OrderStatus.Shipping, "Shipping");
            await saga.RunParallelAsync(
                ShipmentsByWarehouse(run, reserved),
                parcel => context.CallActivityAsync<ShipmentResult>(nameof(ShipmentActivities.CreateShipment), parcel, run.StepRetry),
                (parcel, _) => new Compensation(
                    nameof(ShipmentActivities.CancelShipment),
                    new CancelShipmentRequest(parcel.Key, order.OrderId, parcel.Warehouse),
                    run.CompensationRetry));
            await run.RecordAsync(OrderStatus.Completing, "Shipped");

            // 6. The goods left: take the reserved quantities out of stock for good.
            await context.CallActivityAsync<int>(
                nameof(StockActivities.CommitStock),
                new CommitStockRequest(run.Key("commit"), order.OrderId, priced.Lines.Select(l => l.Sku).ToList()),
                run.StepRetry);

            // 7. Complete and tell the read models.
            return await run.CompleteAsync();
        }
        catch (TaskFailedException ex) when (ex.FailureDetails.IsCausedBy<OrderRejectedException>())
        {
            return await run.StopAsync(OrderStatus.Failed, ex.FailureDetails.ErrorMessage);
        }
        catch (TaskFailedException ex)
        {
            // Unexpected (retries exhausted): undo what was done, then fail the instance so it shows as Failed.
            await run.StopAsync(OrderStatus.Failed, $"error: {ex.FailureDetails.ErrorType}: {ex.FailureDetails.ErrorMessage}");
            throw;
        }
        finally
        {
            stopListening.Cancel();
        }
    }

    private static List<CreateShipmentRequest> ShipmentsByWarehouse(
        OrderFulfilmentRun run, IReadOnlyList<IReadOnlyList<StockAllocation>> reserved) =>
        reserved.SelectMany(line => line)
            .GroupBy(a => a.Warehouse, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CreateShipmentRequest(
                run.Key("ship", g.Key), run.Order.OrderId, g.Key, g.ToList(), run.Order.ShippingAddress))
            .ToList();
}
