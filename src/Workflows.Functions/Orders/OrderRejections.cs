namespace Workflows.Orders;

/// <summary>
/// Why the business refuses an order, as the order view's <c>failureReason</c>: a stable code, a colon, the detail.
/// Activities return these in a <see cref="StepResult{T}"/>; the saga branches on them and compensates.
/// </summary>
public static class OrderRejections
{
    public static string OutOfStock(string sku, int requested, int available) =>
        $"out_of_stock: {sku} requested {requested}, available {available}";

    public static string UnknownProduct(string sku) => $"unknown_sku: {sku}";

    public static string MixedCurrencies(int currencies) => $"mixed_currencies: products in {currencies} currencies";

    public static string PaymentDeclined(string code) => $"payment_declined: {code}";

    public static string ShipmentRejected(string warehouse, string reason) => $"shipment_rejected: {warehouse}: {reason}";

    /// <summary>A step of an order whose saga already undid it (a restarted or duplicate run): never done twice.</summary>
    public static string AlreadyCompensated(string what) => $"already_compensated: {what}";

    /// <summary>What customers see of an unexpected failure; the error itself goes to the logs and the instance.</summary>
    public const string ProcessingError = "processing_error: the order could not be processed";
}

/// <summary>A transient failure (gateway unavailable, storage contention): an error, retried with backoff.</summary>
public sealed class TransientOrderException(string message) : Exception(message);
