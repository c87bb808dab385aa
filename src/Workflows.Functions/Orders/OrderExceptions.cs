namespace Workflows.Orders;

/// <summary>
/// A business rejection of the order (no stock, card declined, undeliverable): never retried, caught by cause in the
/// orchestrator, and the order ends Failed with the message as its reason after compensation.
/// </summary>
public abstract class OrderRejectedException(string message) : Exception(message);

public sealed class OutOfStockException(string sku, int requested, int available)
    : OrderRejectedException($"out_of_stock: {sku} requested {requested}, available {available}");

public sealed class UnknownProductException(string sku)
    : OrderRejectedException($"unknown_sku: {sku}");

public sealed class PaymentDeclinedException(string code)
    : OrderRejectedException($"payment_declined: {code}")
{
    public string Code { get; } = code;
}

public sealed class ShipmentRejectedException(string warehouse, string reason)
    : OrderRejectedException($"shipment_rejected: {warehouse}: {reason}");

/// <summary>A transient failure (gateway unavailable, storage contention): retried with backoff.</summary>
public sealed class TransientOrderException(string message) : Exception(message);
