using Workflows.Orders;
using Workflows.Orders.Storage;

namespace Workflows.Tests.Orders;

/// <summary>Shipment activities when a compensation overlaps a late duplicate execution of the step it undoes.</summary>
public sealed class ShipmentActivitiesTests
{
    [Fact]
    public async Task CreateShipment_CancelledWhileItWasBooking_LeavesNoLiveBooking()
    {
        // Arrange: a late duplicate of CreateShipment has found no record and is booking when CancelShipment runs.
        var carrier = new BookingsCarrier();
        await using var orders = await OrdersTestApp.StartAsync(services: s => s.AddFake(carrier));
        var shipping = orders.App.CreateFunction<ShipmentActivities>();
        var address = new ShippingAddress("Ada", "1 Way", null, "London", "N1", "GB");
        var create = new CreateShipmentRequest("order-late:ship:ams", "order-late", "ams", [new("KB", "ams", 1)], address);
        carrier.WhileBooking = async () =>
        {
            carrier.WhileBooking = null;
            await shipping.CancelShipment(new CancelShipmentRequest(create.Key, create.OrderId, create.Warehouse), CancellationToken.None);
        };

        // Act
        var late = await shipping.CreateShipment(create, CancellationToken.None);

        // Assert
        Assert.Equal("shipment_rejected: ams: shipment was cancelled", late.Rejection);
        Assert.Empty(carrier.LiveBookings);
        var shipment = Assert.Single(await orders.Get<ShipmentStore>().ListAsync(create.OrderId, CancellationToken.None));
        Assert.Equal(ShipmentStore.Cancelled, shipment.Status);
    }
}
