namespace Workflows.Orders.Payments;

public sealed record ChargeRequest(string IdempotencyKey, string PaymentToken, decimal Amount, string Currency);

public sealed record ProviderCharge(string Reference, decimal Amount, string Currency);

/// <summary>The gateway's answer to a charge: the charge, or the decline code (a business outcome, not an error).</summary>
public sealed record ChargeResponse(ProviderCharge? Charge, string? DeclineCode)
{
    public static ChargeResponse Approved(ProviderCharge charge) => new(charge, null);

    public static ChargeResponse Declined(string code) => new(null, code);

    /// <summary>The decline of a charge whose key a refund already voided (nothing was charged when it ran).</summary>
    public const string Voided = "charge_voided";
}

public sealed record RefundRequest(string IdempotencyKey, string ChargeIdempotencyKey);

public sealed record ProviderRefund(string Reference, decimal Amount, string Currency);

/// <summary>
/// A payment gateway. Both calls are idempotent by key, as real gateways are (a repeated key returns the first result),
/// so an activity retried after a crash never charges or refunds twice. A decline is an answer; an unavailable gateway
/// throws <see cref="TransientOrderException"/> (retried with backoff).
/// </summary>
public interface IPaymentProvider
{
    Task<ChargeResponse> ChargeAsync(ChargeRequest request, CancellationToken ct);

    /// <summary>
    /// Refunds the whole charge made with <see cref="RefundRequest.ChargeIdempotencyKey"/>; null if the gateway has no
    /// such charge, and then the key is void: a charge with it that arrives later is declined <see cref="ChargeResponse.Voided"/>
    /// (atomically: of a charge and a refund racing, exactly one acts).
    /// </summary>
    Task<ProviderRefund?> RefundAsync(RefundRequest request, CancellationToken ct);
}
