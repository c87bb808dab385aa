using Workflows.Orders;
using Workflows.Orders.Payments;
using Workflows.Orders.Storage;
using static Workflows.Tests.Orders.OrderFulfilmentTests;

namespace Workflows.Tests.Orders;

/// <summary>
/// Activities run at least once: on the Azure Storage engine a reserve or charge message can be redelivered (its lease
/// expired while it ran) and run again after the saga already compensated it. A late step must not act then.
/// </summary>
public sealed class LateRedeliveryTests : IAsyncLifetime
{
    private readonly CancellationToken _ct = CancellationToken.None;
    private OrdersTestApp _orders = null!;

    public async Task InitializeAsync() => _orders = await OrdersTestApp.StartAsync();

    public async Task DisposeAsync() => await _orders.DisposeAsync();

    [Fact]
    public async Task ReserveStock_ArrivesAfterItsReleaseFoundNothing_ReservesNothing()
    {
        // Arrange: the saga compensated before the reserve had written anything, so the release found nothing.
        await _orders.SeedAsync("LR", 10.00m, ("ams", 3), ("fra", 2));
        var order = $"order-{Guid.NewGuid():N}";
        var stock = _orders.App.CreateFunction<StockActivities>();
        Assert.Equal(0, await stock.ReleaseStock(new StockLineRequest($"{order}:release:LR", order, "LR"), _ct));

        // Act: the reserve's redelivered message runs now.
        var late = await stock.ReserveStock(new ReserveStockRequest($"{order}:reserve:LR", order, "LR", 4), _ct);

        // Assert: rejected as compensated; the stock stays available to everyone.
        Assert.Null(late.Value);
        Assert.StartsWith("already_compensated:", late.Rejection, StringComparison.Ordinal);
        Assert.Equal((3, 0), Counts(await _orders.StockAsync("LR", "ams")));
        Assert.Equal((2, 0), Counts(await _orders.StockAsync("LR", "fra")));
        Assert.Empty(await _orders.Get<StockStore>().GetReservationsAsync(order, "LR", _ct));
    }

    [Fact]
    public async Task ReserveStock_ArrivesAfterItsReleaseFoundNothingWhenStockRanShort_RejectedAsCompensated()
    {
        // Arrange: the release found nothing; since then, the stock ran short of the order's quantity.
        await _orders.SeedAsync("LRS", 10.00m, ("ams", 1));
        var order = $"order-{Guid.NewGuid():N}";
        var stock = _orders.App.CreateFunction<StockActivities>();
        Assert.Equal(0, await stock.ReleaseStock(new StockLineRequest($"{order}:release:LRS", order, "LRS"), _ct));

        // Act: the reserve's redelivered message runs now (its batch, which would meet the claim, is never sent).
        var late = await stock.ReserveStock(new ReserveStockRequest($"{order}:reserve:LRS", order, "LRS", 4), _ct);

        // Assert: compensated, as when stock suffices, not "out of stock".
        Assert.StartsWith("already_compensated:", late.Rejection, StringComparison.Ordinal);
        Assert.Equal((1, 0), Counts(await _orders.StockAsync("LRS", "ams")));
    }

    [Fact]
    public async Task ChargePayment_ArrivesAfterItsRefundFoundNothing_ChargesNothing()
    {
        // Arrange: the saga compensated before the charge reached the gateway, so the refund found nothing.
        var order = $"order-{Guid.NewGuid():N}";
        var payments = _orders.App.CreateFunction<PaymentActivities>();
        var charge = new ChargePaymentRequest($"{order}:charge", order, LocalPaymentGateway.Approve, 25m, "EUR");
        Assert.False(await payments.RefundPayment(new RefundPaymentRequest($"{order}:refund", charge.Key, order), _ct));

        // Act: the charge's redelivered message runs now, and again (a normal retry).
        var late = await payments.ChargePayment(charge, _ct);
        var again = await payments.ChargePayment(charge, _ct);

        // Assert: rejected as compensated; the gateway took no money and the ledger holds nothing.
        Assert.StartsWith("already_compensated:", late.Rejection, StringComparison.Ordinal);
        Assert.Equal(late, again);
        Assert.Null(await new LocalPaymentGateway(_orders.Get<OrderTables>()).RefundAsync(new RefundRequest("check", charge.Key), _ct));
        Assert.Empty(await _orders.Get<PaymentLedger>().ListAsync(order, _ct));
    }

    [Fact]
    public async Task ReserveStockAndReleaseStock_RacingForManyOrders_EitherBothOrNeitherAct()
    {
        // Arrange: enough stock for every order, so only the race decides.
        const int Orders = 40;
        await _orders.SeedAsync("RC", 10.00m, ("ams", Orders), ("fra", Orders));
        var stock = _orders.App.CreateFunction<StockActivities>();
        var ids = Enumerable.Range(0, Orders).Select(i => $"order-{Guid.NewGuid():N}").ToList();

        // Act: each order's reserve and release start together.
        var raced = await Task.WhenAll(ids.Select(async id =>
        {
            var reserve = Task.Run(() => stock.ReserveStock(new ReserveStockRequest($"{id}:reserve:RC", id, "RC", 2), _ct));
            var release = Task.Run(() => stock.ReleaseStock(new StockLineRequest($"{id}:release:RC", id, "RC"), _ct));
            return (Reserve: await reserve, Released: await release);
        }));

        // Assert: a reserve that won was released in full; one that lost reserved nothing; all stock is back.
        Assert.All(raced, r => Assert.Equal(r.Reserve.Value is null ? 0 : 2, r.Released));
        Assert.All(raced.Where(r => r.Reserve.Value is null), r => Assert.StartsWith("already_compensated:", r.Reserve.Rejection, StringComparison.Ordinal));
        Assert.Equal((Orders, 0), Counts(await _orders.StockAsync("RC", "ams")));
        Assert.Equal((Orders, 0), Counts(await _orders.StockAsync("RC", "fra")));
    }

    [Fact]
    public async Task ChargePaymentAndRefundPayment_RacingForManyOrders_EveryChargeIsRefunded()
    {
        // Arrange
        const int Orders = 40;
        var payments = _orders.App.CreateFunction<PaymentActivities>();
        var ids = Enumerable.Range(0, Orders).Select(i => $"order-{Guid.NewGuid():N}").ToList();

        // Act: each order's charge and refund start together.
        var raced = await Task.WhenAll(ids.Select(async id =>
        {
            var chargeKey = $"{id}:charge";
            var charge = Task.Run(() => payments.ChargePayment(new ChargePaymentRequest(chargeKey, id, LocalPaymentGateway.Approve, 5m, "EUR"), _ct));
            var refund = Task.Run(() => payments.RefundPayment(new RefundPaymentRequest($"{id}:refund", chargeKey, id), _ct));
            return (Id: id, Charge: await charge, Refunded: await refund);
        }));

        // Assert: a charge that won was refunded and the ledger balances; one that lost charged nothing.
        foreach (var (id, charge, refunded) in raced)
        {
            var kinds = (await _orders.Get<PaymentLedger>().ListAsync(id, _ct)).Select(e => e.Kind).Order().ToList();
            if (charge.Value is null)
            {
                Assert.StartsWith("already_compensated:", charge.Rejection, StringComparison.Ordinal);
                Assert.False(refunded);
                Assert.Empty(kinds);
            }
            else
            {
                Assert.True(refunded);
                Assert.Equal([PaymentLedger.Charge, PaymentLedger.Refund], kinds);
            }
        }
    }
}
