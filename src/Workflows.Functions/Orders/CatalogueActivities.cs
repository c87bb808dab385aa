using Microsoft.Azure.Functions.Worker;
using Workflows.Orders.Storage;

namespace Workflows.Orders;

public sealed class CatalogueActivities(CatalogueStore catalogue)
{
    /// <summary>Prices the order from the catalogue (the saga's first step; prices never come from the client).</summary>
    [Function(nameof(PriceOrder))]
    public async Task<PricedOrder> PriceOrder([ActivityTrigger] PriceOrderRequest request, CancellationToken ct)
    {
        var products = await catalogue.FindAsync(request.Lines.Select(l => l.Sku), ct);
        List<PricedLine> lines = new(request.Lines.Count);
        foreach (var line in request.Lines)
        {
            // A SKU removed after validation rejects the order rather than failing it.
            var product = products.GetValueOrDefault(line.Sku) ?? throw new UnknownProductException(line.Sku);
            lines.Add(new PricedLine(line.Sku, product.Name, line.Quantity, product.UnitPrice, product.UnitPrice * line.Quantity));
        }

        var currencies = products.Values.Select(p => p.Currency).Distinct(StringComparer.Ordinal).ToList();
        if (currencies.Count != 1)
        {
            throw new UnknownProductException($"products in {currencies.Count} currencies");
        }

        return new PricedOrder(request.OrderId, currencies[0], lines, lines.Sum(l => l.LineTotal));
    }
}
