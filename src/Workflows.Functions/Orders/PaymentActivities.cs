using Microsoft.Azure.Functions.Worker;
using Workflows.Orders.Payments;
using Workflows.Orders.Storage;

namespace Workflows.Orders;

/// <summary>Charge and refund through the payment provider, recorded in the payments ledger; both idempotent by key.</summary>
public sealed class PaymentActivities(IPaymentProvider provider, PaymentLedger ledger, OrderViewStore views, TimeProvider clock)
{
    /// <summary>
    /// Charges the order total once (a retry returns the recorded charge). A decline is a rejection, not an error; so
    /// is an order whose charge was already refunded, or voided by a refund that found nothing (a restarted run, or
    /// this step redelivered after the saga compensated, must not charge or ship again).
    /// </summary>
    [Function(nameof(ChargePayment))]
    public async Task<StepResult<PaymentReceipt>> ChargePayment([ActivityTrigger] ChargePaymentRequest request, CancellationToken ct)
    {
        await views.ApplyAsync(request.Progress, ct);
        var (entry, refund) = await ledger.FindChargeAndRefundAsync(request.OrderId, ct);
        if (refund is not null)
        {
            return StepResult.Rejected<PaymentReceipt>(
                OrderRejections.AlreadyCompensated($"the charge was refunded ({refund.ProviderReference})"));
        }

        if (entry is null)
        {
            var response = await provider.ChargeAsync(
                new ChargeRequest(request.Key, request.PaymentToken, request.Amount, request.Currency), ct);
            if (response.DeclineCode == ChargeResponse.Voided)
            {
                return StepResult.Rejected<PaymentReceipt>(
                    OrderRejections.AlreadyCompensated("the refund ran before the charge and voided it"));
            }

            if (response.Charge is not { } charge)
            {
                return StepResult.Rejected<PaymentReceipt>(OrderRejections.PaymentDeclined(response.DeclineCode ?? "declined"));
            }

            entry = await ledger.AddAsync(
                new LedgerEntry(request.OrderId, PaymentLedger.Charge, charge.Amount, charge.Currency, charge.Reference, request.Key),
                clock.GetUtcNow(), ct);
        }

        return StepResult.Accepted(new PaymentReceipt(request.OrderId, entry.ProviderReference, entry.Amount, entry.Currency));
    }

    /// <summary>
    /// Compensation of ChargePayment: refunds the charge made with <c>ChargeKey</c>. The provider is asked even when the
    /// ledger has no charge (one may have succeeded just before a crash, unrecorded). A charge in the ledger that the
    /// provider cannot refund is an error, so the compensation stays outstanding. False: nothing was charged.
    /// </summary>
    [Function(nameof(RefundPayment))]
    public async Task<bool> RefundPayment([ActivityTrigger] RefundPaymentRequest request, CancellationToken ct)
    {
        var (charged, refunded) = await ledger.FindChargeAndRefundAsync(request.OrderId, ct);
        if (refunded is not null)
        {
            return true;
        }

        var refund = await provider.RefundAsync(new RefundRequest(request.Key, request.ChargeKey), ct);
        if (refund is null)
        {
            if (charged is not null)
            {
                throw new InvalidOperationException(
                    $"The ledger holds charge {charged.ProviderReference} ({charged.Amount} {charged.Currency}) of order " +
                    $"{request.OrderId}, but the payment provider has no charge to refund for key {request.ChargeKey}.");
            }

            return false;
        }

        if (charged is null)
        {
            // The provider charged under this key but the charge step's ledger write was lost: record the charge first,
            // so the ledger balances the way the provider's statement does instead of holding a refund of nothing.
            await ledger.AddAsync(
                new LedgerEntry(request.OrderId, PaymentLedger.Charge, refund.Amount, refund.Currency, $"unrecorded:{request.ChargeKey}", request.ChargeKey),
                clock.GetUtcNow(), ct);
        }

        await ledger.AddAsync(
            new LedgerEntry(request.OrderId, PaymentLedger.Refund, refund.Amount, refund.Currency, refund.Reference, request.Key),
            clock.GetUtcNow(), ct);
        return true;
    }
}
