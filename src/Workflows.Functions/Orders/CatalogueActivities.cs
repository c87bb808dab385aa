using Microsoft.Azure.Functions.Worker;
using Workflows.Orders.Storage;

namespace Workflows.Orders;

public sealed class CatalogueActivities(CatalogueStore catalogue, OrderViewStore views)
{
    /// <summary>
    /// Prices the order from the catalogue (the saga's first step; prices never come from the client). A SKU removed
    /// since validation rejects the order.
    /// </summary>
    [Function(nameof(PriceOrder))]
    public async Task<StepResult<PricedOrder>> PriceOrder([ActivityTrigger] PriceOrderRequest request, CancellationToken ct)
    {
        await views.ApplyAsync(request.Progress, ct);
        var products = await catalogue.FindAsync(request.Lines.Select(l => l.Sku), ct);
        if (request.Lines.FirstOrDefault(l => !products.ContainsKey(l.Sku)) is { } unknown)
        {
            return StepResult.Rejected<PricedOrder>(OrderRejections.UnknownProduct(unknown.Sku));
        }

        var currencies = products.Values.Select(p => p.Currency).Distinct(StringComparer.Ordinal).ToList();
        if (currencies.Count != 1)
        {
            return StepResult.Rejected<PricedOrder>(OrderRejections.MixedCurrencies(currencies.Count));
        }

        List<PricedLine> lines = new(request.Lines.Count);
        foreach (var line in request.Lines)
        {
            var product = products[line.Sku];
            lines.Add(new PricedLine(line.Sku, product.Name, line.Quantity, product.UnitPrice, product.UnitPrice * line.Quantity));
        }

        return StepResult.Accepted(new PricedOrder(request.OrderId, currencies[0], lines, lines.Sum(l => l.LineTotal)));
    }
}
