using Microsoft.Azure.Functions.Worker;
using Workflows.Orders.Shipping;
using Workflows.Orders.Storage;

namespace Workflows.Orders;

/// <summary>Shipments per warehouse through the carrier, recorded in the shipments table; idempotent by key.</summary>
public sealed class ShipmentActivities(IShippingCarrier carrier, ShipmentStore shipments, OrderViewStore views, TimeProvider clock)
{
    /// <summary>Books the shipment of one warehouse's items (a retry returns the recorded shipment). A refusal is a rejection.</summary>
    [Function(nameof(CreateShipment))]
    public async Task<StepResult<ShipmentBooking>> CreateShipment([ActivityTrigger] CreateShipmentRequest request, CancellationToken ct)
    {
        await views.ApplyAsync(request.Progress, ct);
        var shipment = await shipments.FindAsync(request.OrderId, request.Warehouse, ct);
        if (shipment is null)
        {
            var booking = await carrier.BookAsync(
                new CarrierShipmentRequest(request.Key, request.Warehouse, request.Address, request.Items), ct);
            if (booking.TrackingNumber is not { } tracking)
            {
                return StepResult.Rejected<ShipmentBooking>(OrderRejections.ShipmentRejected(request.Warehouse, booking.Refusal ?? "refused"));
            }

            shipment = await shipments.AddAsync(
                new ShipmentRecord(request.OrderId, request.Warehouse, ShipmentStore.Created, tracking, request.Key),
                request.Items, clock.GetUtcNow(), ct);
        }

        if (shipment.Status == ShipmentStore.Cancelled)
        {
            // The compensation ran first, possibly while this (late, duplicate) execution was booking: cancel by our key
            // too, so no booking outlives the cancellation. Carrier cancels are idempotent.
            await carrier.CancelAsync(request.Key, ct);
            return StepResult.Rejected<ShipmentBooking>(OrderRejections.ShipmentRejected(request.Warehouse, "shipment was cancelled"));
        }

        return StepResult.Accepted(new ShipmentBooking(request.OrderId, request.Warehouse, shipment.TrackingNumber));
    }

    /// <summary>Compensation of CreateShipment: cancels the booking with the carrier and marks it cancelled (safe to repeat).</summary>
    [Function(nameof(CancelShipment))]
    public async Task<bool> CancelShipment([ActivityTrigger] CancelShipmentRequest request, CancellationToken ct)
    {
        await carrier.CancelAsync(request.ShipmentKey, ct);
        await shipments.MarkCancelledAsync(request.OrderId, request.Warehouse, clock.GetUtcNow(), ct);
        return true;
    }
}
