using System.Collections.Concurrent;
using System.Globalization;

namespace Workflows.Orders.Payments;

/// <summary>
/// The development gateway: behaves like a real one for the documented test tokens (README "Test card tokens").
/// State is in memory (per process), which is enough for local runs and tests.
/// </summary>
public sealed class LocalPaymentGateway : IPaymentProvider
{
    public const string Approve = "tok_approve";
    public const string Visa = "tok_visa";
    public const string Decline = "tok_decline";
    public const string InsufficientFunds = "tok_insufficient_funds";
    public const string Unavailable = "tok_unavailable";
    public const string TransientPrefix = "tok_transient_"; // tok_transient_{n}: unavailable n times per charge, then approved
    public const decimal MaxAmount = 999_999.99m;

    private readonly ConcurrentDictionary<string, ProviderCharge> _charges = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ProviderRefund> _refunds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);

    public Task<ProviderCharge> ChargeAsync(ChargeRequest request, CancellationToken ct)
    {
        if (_charges.TryGetValue(request.IdempotencyKey, out var earlier))
        {
            return Task.FromResult(earlier);
        }

        ValidateAmount(request.Amount, request.Currency);
        var attempt = _attempts.AddOrUpdate(request.IdempotencyKey, 1, (_, n) => n + 1);
        switch (request.PaymentToken)
        {
            case Approve or Visa:
                break;
            case Decline:
                throw new PaymentDeclinedException("card_declined");
            case InsufficientFunds:
                throw new PaymentDeclinedException("insufficient_funds");
            case Unavailable:
                throw new TransientOrderException("payment gateway unavailable (tok_unavailable)");
            case var token when TransientFailures(token) is int failures:
                if (attempt <= failures)
                {
                    throw new TransientOrderException($"payment gateway unavailable (attempt {attempt} of {failures} failing)");
                }

                break;
            default:
                throw new PaymentDeclinedException("invalid_token");
        }

        var charge = new ProviderCharge($"ch_{Reference(request.IdempotencyKey)}", request.Amount, request.Currency);
        return Task.FromResult(_charges.GetOrAdd(request.IdempotencyKey, charge));
    }

    public Task<ProviderRefund?> RefundAsync(RefundRequest request, CancellationToken ct)
    {
        if (_refunds.TryGetValue(request.IdempotencyKey, out var earlier))
        {
            return Task.FromResult<ProviderRefund?>(earlier);
        }

        if (!_charges.TryGetValue(request.ChargeIdempotencyKey, out var charge))
        {
            return Task.FromResult<ProviderRefund?>(null);
        }

        var refund = new ProviderRefund($"re_{Reference(request.IdempotencyKey)}", charge.Amount, charge.Currency);
        return Task.FromResult<ProviderRefund?>(_refunds.GetOrAdd(request.IdempotencyKey, refund));
    }

    private static int? TransientFailures(string token) =>
        token.StartsWith(TransientPrefix, StringComparison.Ordinal)
        && int.TryParse(token.AsSpan(TransientPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
        && n is >= 1 and <= 99
            ? n
            : null;

    private static void ValidateAmount(decimal amount, string currency)
    {
        if (amount <= 0 || amount > MaxAmount || decimal.Round(amount, 2) != amount)
        {
            throw new PaymentDeclinedException("invalid_amount");
        }

        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
        {
            throw new PaymentDeclinedException("invalid_currency");
        }
    }

    private static string Reference(string key) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..16];
}
