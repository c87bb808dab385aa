using System.Security.Cryptography;
using System.Text.Json;

namespace Workflows.Orders;

/// <summary>
/// What identifies an order request (lines, address, payment token) as a SHA-256: kept in the order view, so a repeated
/// request is recognised as the same or a different one even after the instance (and its input) was purged.
/// </summary>
public static class OrderFingerprint
{
    public static string Of(PlaceOrder order) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(
            new { order.Lines, order.ShippingAddress, order.PaymentToken })));
}
