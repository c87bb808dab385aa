namespace Workflows.Orders.Payments;

public sealed record ChargeRequest(string IdempotencyKey, string PaymentToken, decimal Amount, string Currency);

public sealed record ProviderCharge(string Reference, decimal Amount, string Currency);

public sealed record RefundRequest(string IdempotencyKey, string ChargeIdempotencyKey);

public sealed record ProviderRefund(string Reference, decimal Amount, string Currency);

/// <summary>
/// A payment gateway. Both calls are idempotent by key, as real gateways are (a repeated key returns the first result),
/// so an activity retried after a crash never charges or refunds twice.
/// Throws <see cref="PaymentDeclinedException"/> for a business decline and <see cref="TransientOrderException"/>
/// when the gateway is unavailable (retried with backoff).
/// </summary>
public interface IPaymentProvider
{
    Task<ProviderCharge> ChargeAsync(ChargeRequest request, CancellationToken ct);

    /// <summary>Refunds the whole charge made with <see cref="RefundRequest.ChargeIdempotencyKey"/>; null if there was none.</summary>
    Task<ProviderRefund?> RefundAsync(RefundRequest request, CancellationToken ct);
}
