using Microsoft.Azure.Functions.Worker;
using Workflows.Orders.Payments;
using Workflows.Orders.Storage;

namespace Workflows.Orders;

/// <summary>Charge and refund through the payment provider, recorded in the payments ledger; both idempotent by key.</summary>
public sealed class PaymentActivities(IPaymentProvider provider, PaymentLedger ledger, TimeProvider clock)
{
    /// <summary>Charges the order total once (a retry returns the recorded charge). Declines surface as PaymentDeclinedException.</summary>
    [Function(nameof(ChargePayment))]
    public async Task<PaymentReceipt> ChargePayment([ActivityTrigger] ChargePaymentRequest request, CancellationToken ct)
    {
        var entry = await ledger.FindAsync(request.OrderId, PaymentLedger.Charge, ct);
        if (entry is null)
        {
            var charge = await provider.ChargeAsync(
                new ChargeRequest(request.Key, request.PaymentToken, request.Amount, request.Currency), ct);
            entry = await ledger.AddAsync(
                new LedgerEntry(request.OrderId, PaymentLedger.Charge, charge.Amount, charge.Currency, charge.Reference, request.Key),
                clock.GetUtcNow(), ct);
        }

        return new PaymentReceipt(request.OrderId, entry.ProviderReference, entry.Amount, entry.Currency);
    }

    /// <summary>
    /// Compensation of ChargePayment: refunds the charge made with <c>ChargeKey</c>. Asks the provider rather than the
    /// ledger, so a charge that succeeded just before a crash (not yet in the ledger) is refunded too. False: nothing to refund.
    /// </summary>
    [Function(nameof(RefundPayment))]
    public async Task<bool> RefundPayment([ActivityTrigger] RefundPaymentRequest request, CancellationToken ct)
    {
        if (await ledger.FindAsync(request.OrderId, PaymentLedger.Refund, ct) is not null)
        {
            return true;
        }

        var refund = await provider.RefundAsync(new RefundRequest(request.Key, request.ChargeKey), ct);
        if (refund is null)
        {
            return false;
        }

        await ledger.AddAsync(
            new LedgerEntry(request.OrderId, PaymentLedger.Refund, refund.Amount, refund.Currency, refund.Reference, request.Key),
            clock.GetUtcNow(), ct);
        return true;
    }
}
