using System.Text.RegularExpressions;
using Workflows.Orders.Storage;

namespace Workflows.Orders.Http;

/// <summary>
/// Validates a new order completely before any orchestration starts: every broken rule is reported (field path →
/// messages), and the catalogue is consulted for SKUs that are well formed.
/// </summary>
public static partial class OrderValidation
{
    public const int MaxLines = 100;
    public const int MaxQuantity = 1000;

    // The asset workflows start under ids beginning so (asset-{id} per upload, assets-reprocess). An order id is its
    // saga's instance id: one of theirs would block them (or be replaced by them), so orders cannot take it.
    private const string AssetWorkflowsPrefix = "asset";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{0,63}$")]
    public static partial Regex OrderIdPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    public static partial Regex SkuPattern();

    [GeneratedRegex("^tok_[a-z0-9_]{1,60}$")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryPattern();

    public static async Task<Dictionary<string, string[]>> ValidateAsync(
        OrderRequestBody body, string? idempotencyKey, CatalogueStore catalogue, CancellationToken ct)
    {
        Dictionary<string, List<string>> errors = [];
        void Add(string field, string message) =>
            (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(message);

        if (body.OrderId is not null && !IsOrderId(body.OrderId))
        {
            Add("orderId", IdRule);
        }

        if (idempotencyKey is not null && !IsOrderId(idempotencyKey))
        {
            Add("Idempotency-Key", IdRule);
        }

        if (body.OrderId is not null && idempotencyKey is not null && body.OrderId != idempotencyKey)
        {
            Add("orderId", "differs from the Idempotency-Key header");
        }

        var skus = ValidateLines(body.Lines, Add);
        ValidateAddress(body.ShippingAddress, Add);
        if (string.IsNullOrWhiteSpace(body.PaymentToken))
        {
            Add("paymentToken", "is required");
        }
        else if (!TokenPattern().IsMatch(body.PaymentToken))
        {
            Add("paymentToken", "must look like tok_xxx (lowercase letters, digits, '_')");
        }

        if (skus.Count > 0)
        {
            var products = await catalogue.FindAsync(skus.Select(s => s.Sku), ct);
            foreach (var (sku, index) in skus.Where(s => !products.ContainsKey(s.Sku)))
            {
                Add($"lines[{index}].sku", $"unknown SKU '{sku}'");
            }

            if (products.Values.Select(p => p.Currency).Distinct(StringComparer.Ordinal).Count() > 1)
            {
                Add("lines", "products are priced in more than one currency");
            }
        }

        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }

    private const string IdRule = $"must be 1-64 letters, digits or '-', starting with a letter or digit (not '{AssetWorkflowsPrefix}')";

    private static bool IsOrderId(string id) =>
        OrderIdPattern().IsMatch(id) && !id.StartsWith(AssetWorkflowsPrefix, StringComparison.OrdinalIgnoreCase);

    private static List<(string Sku, int Index)> ValidateLines(IReadOnlyList<OrderLineBody?>? lines, Action<string, string> add)
    {
        List<(string Sku, int Index)> skus = [];
        if (lines is null || lines.Count == 0)
        {
            add("lines", "at least one line is required");
            return skus;
        }

        if (lines.Count > MaxLines)
        {
            // Don't spend catalogue lookups (or a huge response) on an order that is too long anyway.
            add("lines", $"at most {MaxLines} lines are allowed");
            return skus;
        }

        HashSet<string> seen = new(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line is null)
            {
                add($"lines[{i}]", "is required");
                continue;
            }

            if (string.IsNullOrWhiteSpace(line.Sku))
            {
                add($"lines[{i}].sku", "is required");
            }
            else if (!SkuPattern().IsMatch(line.Sku))
            {
                add($"lines[{i}].sku", "must be 1-64 letters, digits, '.', '_' or '-'");
            }
            else if (!seen.Add(line.Sku))
            {
                add($"lines[{i}].sku", $"'{line.Sku}' appears on more than one line");
            }
            else
            {
                skus.Add((line.Sku, i));
            }

            if (line.Quantity is not (>= 1 and <= MaxQuantity))
            {
                add($"lines[{i}].quantity", $"must be between 1 and {MaxQuantity}");
            }
        }

        return skus;
    }

    private static void ValidateAddress(ShippingAddressBody? address, Action<string, string> add)
    {
        if (address is null)
        {
            add("shippingAddress", "is required");
            return;
        }

        Required("shippingAddress.name", address.Name, 200);
        Required("shippingAddress.line1", address.Line1, 200);
        Required("shippingAddress.city", address.City, 100);
        Required("shippingAddress.postalCode", address.PostalCode, 20);
        if (address.Line2 is { Length: > 200 })
        {
            add("shippingAddress.line2", "must be at most 200 characters");
        }

        if (address.Country is null || !CountryPattern().IsMatch(address.Country))
        {
            add("shippingAddress.country", "must be a two-letter ISO 3166 country code (e.g. NL)");
        }

        void Required(string field, string? value, int max)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                add(field, "is required");
            }
            else if (value.Length > max)
            {
                add(field, $"must be at most {max} characters");
            }
        }
    }
}
