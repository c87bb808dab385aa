using System.Security.Cryptography;
using System.Text;

namespace Workflows.Orders.Shipping;

public sealed record CarrierShipmentRequest(
    string IdempotencyKey, string Warehouse, ShippingAddress Address, IReadOnlyList<StockAllocation> Items);

/// <summary>
/// A carrier that books shipments from a warehouse. Idempotent by key. Throws <see cref="ShipmentRejectedException"/>
/// when it refuses the shipment and <see cref="TransientOrderException"/> when it is unavailable.
/// </summary>
public interface IShippingCarrier
{
    Task<string> BookAsync(CarrierShipmentRequest request, CancellationToken ct);

    /// <summary>Cancels the booking made with <paramref name="idempotencyKey"/>; a no-op when there is none (or it is already cancelled).</summary>
    Task CancelAsync(string idempotencyKey, CancellationToken ct);
}

/// <summary>The development carrier: books everything except to postal code <c>00000</c> (undeliverable).</summary>
public sealed class LocalCarrier : IShippingCarrier
{
    public const string UndeliverablePostalCode = "00000";

    public Task<string> BookAsync(CarrierShipmentRequest request, CancellationToken ct)
    {
        if (request.Address.PostalCode == UndeliverablePostalCode)
        {
            throw new ShipmentRejectedException(request.Warehouse, "undeliverable address");
        }

        // Deterministic from the key: a repeated booking gets the same tracking number.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(request.IdempotencyKey));
        return Task.FromResult($"TRK{Convert.ToHexString(hash)[..12]}");
    }

    public Task CancelAsync(string idempotencyKey, CancellationToken ct) => Task.CompletedTask;
}
