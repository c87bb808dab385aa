namespace Workflows.Orders.Shipping;

public sealed record CarrierShipmentRequest(
    string IdempotencyKey, string Warehouse, ShippingAddress Address, IReadOnlyList<StockAllocation> Items);

/// <summary>The carrier's answer to a booking: the tracking number, or why it refuses (a business outcome, not an error).</summary>
public sealed record BookingResponse(string? TrackingNumber, string? Refusal)
{
    public static BookingResponse Booked(string trackingNumber) => new(trackingNumber, null);

    public static BookingResponse Refused(string reason) => new(null, reason);
}

/// <summary>
/// A carrier that books shipments from a warehouse. Idempotent by key (a repeated key returns the first booking). A
/// refusal is an answer; an unavailable carrier throws <see cref="TransientOrderException"/> (retried with backoff).
/// </summary>
public interface IShippingCarrier
{
    Task<BookingResponse> BookAsync(CarrierShipmentRequest request, CancellationToken ct);

    /// <summary>Cancels the booking made with <paramref name="idempotencyKey"/>; a no-op when there is none (or it is already cancelled).</summary>
    Task CancelAsync(string idempotencyKey, CancellationToken ct);
}
