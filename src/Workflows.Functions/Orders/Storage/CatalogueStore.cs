using Azure;
using Azure.Data.Tables;

namespace Workflows.Orders.Storage;

public sealed record Product(string Sku, string Name, decimal UnitPrice, string Currency);

/// <summary>The product catalogue: PK <c>product</c>, RK SKU. Prices are read here, never taken from clients.</summary>
public sealed class CatalogueStore(OrderTables tables)
{
    private const string Partition = "product";

    /// <summary>Looks up several SKUs at once; unknown SKUs are absent from the result.</summary>
    public async Task<IReadOnlyDictionary<string, Product>> FindAsync(IEnumerable<string> skus, CancellationToken ct)
    {
        var table = await tables.ProductsAsync(ct);
        var lookups = skus.Distinct(StringComparer.Ordinal).Select(async sku =>
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(Partition, sku, cancellationToken: ct);
            return row.HasValue ? ToProduct(row.Value!) : null;
        });
        var found = await Task.WhenAll(lookups);
        return found.OfType<Product>().ToDictionary(p => p.Sku, StringComparer.Ordinal);
    }

    /// <summary>The first <paramref name="max"/> products by SKU (the catalogue is one small partition).</summary>
    public async Task<IReadOnlyList<Product>> ListAsync(int max, CancellationToken ct)
    {
        var table = await tables.ProductsAsync(ct);
        List<Product> products = [];
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, maxPerPage: max, cancellationToken: ct))
        {
            products.Add(ToProduct(row));
            if (products.Count == max)
            {
                break;
            }
        }

        return products;
    }

    /// <summary>Creates or replaces a product (idempotent).</summary>
    public async Task UpsertAsync(Product product, CancellationToken ct)
    {
        var table = await tables.ProductsAsync(ct);
        var entity = new TableEntity(Partition, product.Sku)
        {
            ["Name"] = product.Name,
            ["UnitPrice"] = Money.ToText(product.UnitPrice),
            ["Currency"] = product.Currency,
        };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct);
    }

    private static Product ToProduct(TableEntity row) => new(
        row.RowKey, row.GetString("Name"), Money.Parse(row.GetString("UnitPrice")), row.GetString("Currency"));
}
