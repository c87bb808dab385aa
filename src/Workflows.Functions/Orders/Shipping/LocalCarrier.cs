using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Workflows.Orders.Storage;

namespace Workflows.Orders.Shipping;

/// <summary>
/// The development carrier: books everything except to postal code <c>00000</c> (undeliverable). Like a real carrier it
/// keeps its bookings outside the app's process, in the table <c>{prefix}LocalCarrier</c> (PK the booking key), so a
/// cancellation from any instance reaches the booking another one made.
/// </summary>
public sealed class LocalCarrier(OrderTables tables) : IShippingCarrier
{
    public const string UndeliverablePostalCode = "00000";
    public const string Booked = "Booked";
    public const string Cancelled = "Cancelled";
    private const string Row = "booking";

    public async Task<BookingResponse> BookAsync(CarrierShipmentRequest request, CancellationToken ct)
    {
        if (request.Address.PostalCode == UndeliverablePostalCode)
        {
            return BookingResponse.Refused("undeliverable address");
        }

        var table = await tables.LocalCarrierAsync(ct);
        var booking = new TableEntity(request.IdempotencyKey, Row) { ["TrackingNumber"] = Tracking(request.IdempotencyKey), ["Status"] = Booked };
        try
        {
            await table.AddEntityAsync(booking, ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Booked (or cancelled) before with this key: the first booking stands, with its tracking number.
        }

        return BookingResponse.Booked(Tracking(request.IdempotencyKey));
    }

    public async Task CancelAsync(string idempotencyKey, CancellationToken ct)
    {
        var table = await tables.LocalCarrierAsync(ct);
        var cancelled = new TableEntity(idempotencyKey, Row) { ["TrackingNumber"] = Tracking(idempotencyKey), ["Status"] = Cancelled };
        await table.UpsertEntityAsync(cancelled, TableUpdateMode.Replace, ct);
    }

    /// <summary>The status of the booking made with <paramref name="idempotencyKey"/>: Booked, Cancelled, or null.</summary>
    public async Task<string?> StatusAsync(string idempotencyKey, CancellationToken ct)
    {
        var table = await tables.LocalCarrierAsync(ct);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(idempotencyKey, Row, cancellationToken: ct);
        return row.HasValue ? row.Value!.GetString("Status") : null;
    }

    // Deterministic from the key: a repeated booking gets the same tracking number.
    private static string Tracking(string key) => $"TRK{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12]}";
}
