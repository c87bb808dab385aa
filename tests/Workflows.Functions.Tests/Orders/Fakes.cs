using Workflows.Orders;
using Workflows.Orders.Payments;
using Workflows.Orders.Shipping;

namespace Workflows.Tests.Orders;

/// <summary>The local carrier, except that it rejects every booking from one warehouse.</summary>
internal sealed class CarrierRejectingWarehouse(string warehouse) : IShippingCarrier
{
    private readonly LocalCarrier _inner = new();
    private int _cancels;

    public int Cancels => _cancels;

    public Task<string> BookAsync(CarrierShipmentRequest request, CancellationToken ct) =>
        request.Warehouse == warehouse
            ? throw new ShipmentRejectedException(warehouse, "no carrier capacity")
            : _inner.BookAsync(request, ct);

    public Task CancelAsync(string idempotencyKey, CancellationToken ct)
    {
        Interlocked.Increment(ref _cancels);
        return _inner.CancelAsync(idempotencyKey, ct);
    }
}

/// <summary>The local gateway with a refund fault that a test switches on and off (an outage of the refund API).</summary>
internal sealed class GatewayWithRefundOutage : IPaymentProvider
{
    private readonly LocalPaymentGateway _inner = new();
    private int _refundAttempts;

    public volatile bool RefundsFail;

    public int RefundAttempts => _refundAttempts;

    public Task<ProviderCharge> ChargeAsync(ChargeRequest request, CancellationToken ct) => _inner.ChargeAsync(request, ct);

    public Task<ProviderRefund?> RefundAsync(RefundRequest request, CancellationToken ct)
    {
        Interlocked.Increment(ref _refundAttempts);
        return RefundsFail ? throw new TransientOrderException("refund API unavailable") : _inner.RefundAsync(request, ct);
    }
}

/// <summary>The local carrier with live bookings per key, and a hook that runs while a booking is being made.</summary>
internal sealed class BookingsCarrier : IShippingCarrier
{
    private readonly LocalCarrier _inner = new();
    private readonly HashSet<string> _live = [];

    public Func<Task>? WhileBooking { get; set; }

    public IReadOnlyCollection<string> LiveBookings
    {
        get
        {
            lock (_live)
            {
                return [.. _live];
            }
        }
    }

    public async Task<string> BookAsync(CarrierShipmentRequest request, CancellationToken ct)
    {
        if (WhileBooking is { } hook)
        {
            await hook();
        }

        var tracking = await _inner.BookAsync(request, ct);
        lock (_live)
        {
            _live.Add(request.IdempotencyKey);
        }

        return tracking;
    }

    public Task CancelAsync(string idempotencyKey, CancellationToken ct)
    {
        lock (_live)
        {
            _live.Remove(idempotencyKey);
        }

        return _inner.CancelAsync(idempotencyKey, ct);
    }
}

/// <summary>A gateway that declines every card, running <paramref name="beforeDecline"/> first (e.g. to start an outage).</summary>
internal sealed class GatewayDecliningAfter(Action beforeDecline) : IPaymentProvider
{
    public Task<ProviderCharge> ChargeAsync(ChargeRequest request, CancellationToken ct)
    {
        beforeDecline();
        throw new PaymentDeclinedException("card_declined");
    }

    public Task<ProviderRefund?> RefundAsync(RefundRequest request, CancellationToken ct) => Task.FromResult<ProviderRefund?>(null);
}
