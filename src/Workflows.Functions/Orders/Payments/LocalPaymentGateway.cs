using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Workflows.Orders.Storage;

namespace Workflows.Orders.Payments;

/// <summary>
/// The development gateway: behaves like a real one for the documented test tokens (README "Test card tokens"), and
/// like a real one keeps its charges and refunds outside the app's process, in the table <c>{prefix}LocalGateway</c>
/// (PK the charge's idempotency key), so a restarted or second instance refunds what another one charged.
/// </summary>
public sealed class LocalPaymentGateway(OrderTables tables) : IPaymentProvider
{
    public const string Approve = "tok_approve";
    public const string Visa = "tok_visa";
    public const string Decline = "tok_decline";
    public const string InsufficientFunds = "tok_insufficient_funds";
    public const string Unavailable = "tok_unavailable";
    public const string TransientPrefix = "tok_transient_"; // tok_transient_{n}: unavailable n times per charge, then approved
    public const decimal MaxAmount = 999_999.99m;

    private const string ChargeRow = "charge";
    private const string RefundRow = "refund";
    private const string AttemptsRow = "attempts";
    private const string VoidedColumn = "Voided";

    public async Task<ChargeResponse> ChargeAsync(ChargeRequest request, CancellationToken ct)
    {
        var table = await tables.LocalGatewayAsync(ct);
        var refusal = Refusal(request);
        var unavailable = request.PaymentToken == Unavailable;
        var failures = TransientFailures(request.PaymentToken);

        // An approvable charge goes straight to its insert (one write: an earlier charge or a void on the key answers
        // its 409); any other asks first, so a key charged or voided already answers the same whatever the token says.
        if ((refusal is not null || unavailable || failures is not null)
            && await FindAsync(table, request.IdempotencyKey, ChargeRow, ct) is { } earlier)
        {
            return Answer(earlier);
        }

        if (refusal is not null)
        {
            return ChargeResponse.Declined(refusal);
        }

        if (unavailable)
        {
            throw new TransientOrderException("payment gateway unavailable (tok_unavailable)");
        }

        if (failures is int n)
        {
            var attempt = await CountAttemptAsync(table, request.IdempotencyKey, ct);
            if (attempt <= n)
            {
                throw new TransientOrderException($"payment gateway unavailable (attempt {attempt} of {n} failing)");
            }
        }

        return Answer(await AddOnceAsync(table, ChargeRowOf(request), ct));
    }

    private static TableEntity ChargeRowOf(ChargeRequest request) => new(request.IdempotencyKey, ChargeRow)
    {
        ["Reference"] = $"ch_{Reference(request.IdempotencyKey)}",
        ["Amount"] = Money.ToText(request.Amount),
        ["Currency"] = request.Currency,
    };

    public async Task<ProviderRefund?> RefundAsync(RefundRequest request, CancellationToken ct)
    {
        var table = await tables.LocalGatewayAsync(ct);
        var partition = request.ChargeIdempotencyKey;
        if (await FindAsync(table, partition, RefundRow, ct) is not { } refund)
        {
            // Nothing charged: void the key in the charge's own row, so whichever of charge and void adds it first wins
            // and a charge arriving later (a redelivered step) is declined instead of taking money from a failed order.
            var charge = await FindAsync(table, partition, ChargeRow, ct)
                ?? await AddOnceAsync(table, new TableEntity(partition, ChargeRow) { [VoidedColumn] = true }, ct);
            if (IsVoided(charge))
            {
                return null;
            }

            refund = await AddOnceAsync(table, new TableEntity(partition, RefundRow)
            {
                ["Reference"] = $"re_{Reference(request.IdempotencyKey)}",
                ["Amount"] = charge.GetString("Amount"),
                ["Currency"] = charge.GetString("Currency"),
            }, ct);
        }

        var refunded = ToCharge(refund);
        return new ProviderRefund(refunded.Reference, refunded.Amount, refunded.Currency);
    }

    private static string? Refusal(ChargeRequest request) => request.PaymentToken switch
    {
        _ when request.Amount <= 0 || request.Amount > MaxAmount || decimal.Round(request.Amount, 2) != request.Amount => "invalid_amount",
        _ when request.Currency.Length != 3 || !request.Currency.All(char.IsAsciiLetterUpper) => "invalid_currency",
        Approve or Visa or Unavailable => null,
        Decline => "card_declined",
        InsufficientFunds => "insufficient_funds",
        var token when TransientFailures(token) is not null => null,
        _ => "invalid_token",
    };

    private static int? TransientFailures(string token) =>
        token.StartsWith(TransientPrefix, StringComparison.Ordinal)
        && int.TryParse(token.AsSpan(TransientPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
        && n is >= 1 and <= 99
            ? n
            : null;

    /// <summary>Counts this charge attempt (ETag-guarded, so concurrent attempts each count once).</summary>
    private static async Task<int> CountAttemptAsync(TableClient table, string key, CancellationToken ct)
    {
        while (true)
        {
            var row = await FindAsync(table, key, AttemptsRow, ct);
            var attempt = (row?.GetInt32("Count") ?? 0) + 1;
            try
            {
                if (row is null)
                {
                    await table.AddEntityAsync(new TableEntity(key, AttemptsRow) { ["Count"] = attempt }, ct);
                }
                else
                {
                    row["Count"] = attempt;
                    await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, ct);
                }

                return attempt;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another attempt counted first: count again on top of it.
            }
        }
    }

    private static async Task<TableEntity?> FindAsync(TableClient table, string partition, string row, CancellationToken ct)
    {
        var found = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: ct);
        return found.HasValue ? found.Value : null;
    }

    /// <summary>Adds the row, or returns the one a concurrent call with the same key added first.</summary>
    private static async Task<TableEntity> AddOnceAsync(TableClient table, TableEntity row, CancellationToken ct)
    {
        try
        {
            await table.AddEntityAsync(row, ct);
            return row;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return (await FindAsync(table, row.PartitionKey, row.RowKey, ct))!;
        }
    }

    private static ChargeResponse Answer(TableEntity chargeRow) =>
        IsVoided(chargeRow) ? ChargeResponse.Declined(ChargeResponse.Voided) : ChargeResponse.Approved(ToCharge(chargeRow));

    private static bool IsVoided(TableEntity chargeRow) => chargeRow.GetBoolean(VoidedColumn) == true;

    private static ProviderCharge ToCharge(TableEntity row) =>
        new(row.GetString("Reference"), Money.Parse(row.GetString("Amount")), row.GetString("Currency"));

    private static string Reference(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
}
