using Workflows.Orders;
using Workflows.Orders.Payments;
using Workflows.Orders.Storage;

namespace Workflows.Tests.Orders;

/// <summary>The app's ledger decides what must be refunded; the local gateway keeps its state where every instance sees it.</summary>
public sealed class PaymentActivitiesTests : IAsyncLifetime
{
    private readonly CancellationToken _ct = CancellationToken.None;
    private OrdersTestApp _orders = null!;

    public async Task InitializeAsync() => _orders = await OrdersTestApp.StartAsync();

    public async Task DisposeAsync() => await _orders.DisposeAsync();

    [Fact]
    public async Task RefundPayment_LedgerHoldsAChargeTheProviderDoesNotKnow_FailsSoTheRefundStaysOutstanding()
    {
        // Arrange: the ledger recorded a charge; the provider has no charge under that key (lost, or another account).
        var order = $"order-{Guid.NewGuid():N}";
        await _orders.Get<PaymentLedger>().AddAsync(
            new LedgerEntry(order, PaymentLedger.Charge, 42.50m, "EUR", "ch_lost", $"{order}:charge"), DateTimeOffset.UtcNow, _ct);
        var payments = _orders.App.CreateFunction<PaymentActivities>();

        // Act
        var error = await Record.ExceptionAsync(() => payments.RefundPayment(new RefundPaymentRequest($"{order}:refund", $"{order}:charge", order), _ct));

        // Assert: an error (retried, then CompensationFailed), never "nothing to refund".
        Assert.IsType<InvalidOperationException>(error);
        Assert.Contains("ch_lost", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await _orders.Get<PaymentLedger>().ListAsync(order, _ct), e => e.Kind == PaymentLedger.Refund);
    }

    [Fact]
    public async Task RefundPayment_ChargeMadeButItsLedgerWriteLost_LedgerRecordsBothAndBalances()
    {
        // Arrange: the gateway charged, then the charge step's ledger write failed every retry (found under storage faults).
        var order = $"order-{Guid.NewGuid():N}";
        var chargeKey = $"{order}:charge";
        await new LocalPaymentGateway(_orders.Get<OrderTables>()).ChargeAsync(new ChargeRequest(chargeKey, LocalPaymentGateway.Approve, 10m, "EUR"), _ct);
        var payments = _orders.App.CreateFunction<PaymentActivities>();

        // Act
        Assert.True(await payments.RefundPayment(new RefundPaymentRequest($"{order}:refund", chargeKey, order), _ct));

        // Assert: the ledger tells the same story as the gateway, a charge and its refund, not a refund of nothing.
        var entries = await _orders.Get<PaymentLedger>().ListAsync(order, _ct);
        Assert.Equal([PaymentLedger.Charge, PaymentLedger.Refund], entries.Select(e => e.Kind));
        Assert.All(entries, e => Assert.Equal((10m, "EUR"), (e.Amount, e.Currency)));
    }

    [Fact]
    public async Task ChargePayment_AfterItsRefund_RejectsAlreadyCompensatedAndChargesNothingMore()
    {
        // Arrange: the saga charged, then refunded (compensated); the same charge step runs again with the same key.
        var order = $"order-{Guid.NewGuid():N}";
        var payments = _orders.App.CreateFunction<PaymentActivities>();
        var charge = new ChargePaymentRequest($"{order}:charge", order, LocalPaymentGateway.Approve, 25m, "EUR");
        Assert.Null((await payments.ChargePayment(charge, _ct)).Rejection);
        Assert.True(await payments.RefundPayment(new RefundPaymentRequest($"{order}:refund", charge.Key, order), _ct));

        // Act
        var again = await payments.ChargePayment(charge, _ct);

        // Assert
        Assert.Null(again.Value);
        Assert.StartsWith("already_compensated:", again.Rejection, StringComparison.Ordinal);
        Assert.Equal([PaymentLedger.Charge, PaymentLedger.Refund], (await _orders.Get<PaymentLedger>().ListAsync(order, _ct)).Select(e => e.Kind));
    }

    [Fact]
    public async Task LocalPaymentGateway_AnotherInstanceRefunds_FindsTheChargeTheFirstMade()
    {
        // Arrange: two gateways over the same storage, as two app instances (or one before and after a restart).
        var tables = _orders.Get<OrderTables>();
        var key = $"order-{Guid.NewGuid():N}:charge";
        var charged = await new LocalPaymentGateway(tables).ChargeAsync(new ChargeRequest(key, LocalPaymentGateway.Approve, 19.99m, "EUR"), _ct);

        // Act
        var second = new LocalPaymentGateway(tables);
        var repeated = await second.ChargeAsync(new ChargeRequest(key, LocalPaymentGateway.Approve, 19.99m, "EUR"), _ct);
        var refund = await second.RefundAsync(new RefundRequest($"{key}:refund", key), _ct);
        var refundAgain = await new LocalPaymentGateway(tables).RefundAsync(new RefundRequest($"{key}:refund", key), _ct);

        // Assert
        Assert.Equal(charged.Charge, repeated.Charge);
        Assert.Equal((19.99m, "EUR"), (refund!.Amount, refund.Currency));
        Assert.Equal(refund, refundAgain);
    }
}
