using Microsoft.Extensions.DependencyInjection;
using Workflows.Orders;
using Workflows.Orders.Payments;
using Workflows.Orders.Shipping;

namespace Workflows.Tests.Orders;

/// <summary>A carrier that passes every call to the app's own local carrier, unless a test overrides it.</summary>
internal class CarrierFake : IShippingCarrier
{
    public LocalCarrier Inner { get; set; } = null!;

    public virtual Task<BookingResponse> BookAsync(CarrierShipmentRequest request, CancellationToken ct) => Inner.BookAsync(request, ct);

    public virtual Task CancelAsync(string idempotencyKey, CancellationToken ct) => Inner.CancelAsync(idempotencyKey, ct);
}

/// <summary>A gateway that passes every call to the app's own local gateway, unless a test overrides it.</summary>
internal class GatewayFake : IPaymentProvider
{
    public LocalPaymentGateway Inner { get; set; } = null!;

    public virtual Task<ChargeResponse> ChargeAsync(ChargeRequest request, CancellationToken ct) => Inner.ChargeAsync(request, ct);

    public virtual Task<ProviderRefund?> RefundAsync(RefundRequest request, CancellationToken ct) => Inner.RefundAsync(request, ct);
}

internal static class FakeRegistrations
{
    /// <summary>Makes <paramref name="carrier"/> the app's carrier, over the app's own local carrier.</summary>
    public static IServiceCollection AddFake(this IServiceCollection services, CarrierFake carrier) =>
        services.AddSingleton<IShippingCarrier>(sp =>
        {
            carrier.Inner = sp.GetRequiredService<LocalCarrier>();
            return carrier;
        });

    /// <summary>Makes <paramref name="gateway"/> the app's gateway, over the app's own local gateway.</summary>
    public static IServiceCollection AddFake(this IServiceCollection services, GatewayFake gateway) =>
        services.AddSingleton<IPaymentProvider>(sp =>
        {
            gateway.Inner = sp.GetRequiredService<LocalPaymentGateway>();
            return gateway;
        });
}

/// <summary>The local carrier, except that it refuses every booking from one warehouse.</summary>
internal sealed class CarrierRejectingWarehouse(string warehouse) : CarrierFake
{
    private int _cancels;

    public int Cancels => _cancels;

    public override Task<BookingResponse> BookAsync(CarrierShipmentRequest request, CancellationToken ct) =>
        request.Warehouse == warehouse ? Task.FromResult(BookingResponse.Refused("no carrier capacity")) : base.BookAsync(request, ct);

    public override Task CancelAsync(string idempotencyKey, CancellationToken ct)
    {
        Interlocked.Increment(ref _cancels);
        return base.CancelAsync(idempotencyKey, ct);
    }
}

/// <summary>The local gateway with a refund fault that a test switches on and off (an outage of the refund API).</summary>
internal sealed class GatewayWithRefundOutage : GatewayFake
{
    private int _refundAttempts;

    public volatile bool RefundsFail;

    /// <summary>Runs before each refund attempt (e.g. to hold a round until the test has done something).</summary>
    public Func<Task>? BeforeRefund { get; set; }

    public int RefundAttempts => _refundAttempts;

    public override async Task<ProviderRefund?> RefundAsync(RefundRequest request, CancellationToken ct)
    {
        Interlocked.Increment(ref _refundAttempts);
        if (BeforeRefund is { } hook)
        {
            await hook();
        }

        return RefundsFail ? throw new TransientOrderException("refund API unavailable") : await base.RefundAsync(request, ct);
    }
}

/// <summary>The local carrier with live bookings per key, and hooks that run while and after a booking is made.</summary>
internal sealed class BookingsCarrier : CarrierFake
{
    private readonly HashSet<string> _live = [];
    private int _cancels;

    public Func<Task>? WhileBooking { get; set; }

    public Action? AfterBooking { get; set; }

    public Action? OnCancel { get; set; }

    public int Cancels => _cancels;

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

    public override async Task<BookingResponse> BookAsync(CarrierShipmentRequest request, CancellationToken ct)
    {
        if (WhileBooking is { } hook)
        {
            await hook();
        }

        var booking = await base.BookAsync(request, ct);
        lock (_live)
        {
            _live.Add(request.IdempotencyKey);
        }

        AfterBooking?.Invoke();
        return booking;
    }

    public override Task CancelAsync(string idempotencyKey, CancellationToken ct)
    {
        Interlocked.Increment(ref _cancels);
        OnCancel?.Invoke();
        lock (_live)
        {
            _live.Remove(idempotencyKey);
        }

        return base.CancelAsync(idempotencyKey, ct);
    }
}

/// <summary>A gateway that declines every card, running <paramref name="beforeDecline"/> first (e.g. to start an outage).</summary>
internal sealed class GatewayDecliningAfter(Action beforeDecline) : GatewayFake
{
    public override Task<ChargeResponse> ChargeAsync(ChargeRequest request, CancellationToken ct)
    {
        beforeDecline();
        return Task.FromResult(ChargeResponse.Declined("card_declined"));
    }
}
