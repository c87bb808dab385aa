using Workflows.Orders.Storage;

namespace Workflows.Orders;

public sealed record DemoDataResult(int Products, int StockRowsAdded, int StockRowsKept);

/// <summary>
/// The demo catalogue (prices in EUR) and its stock across three warehouses. Seeding is idempotent: products are
/// upserted, stock rows are only added when missing (a re-run never resets counts that orders have changed).
/// </summary>
public sealed class DemoData(CatalogueStore catalogue, StockStore stock)
{
    public static readonly IReadOnlyList<Product> Products =
    [
        new("KB-100", "Mechanical keyboard", 89.90m, "EUR"),
        new("MS-200", "Wireless mouse", 24.50m, "EUR"),
        new("MN-270", "27\" monitor", 329.00m, "EUR"),
        new("LP-140", "14\" laptop", 1299.00m, "EUR"),
        new("HB-010", "USB-C hub", 39.90m, "EUR"),
        new("CB-001", "USB-C cable", 9.99m, "EUR"),
    ];

    /// <summary>SKU → warehouse → units. MN-270 is spread thin, so an order of 4+ is split across warehouses.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Stock =
        new Dictionary<string, IReadOnlyDictionary<string, int>>
        {
            ["KB-100"] = new Dictionary<string, int> { ["ams"] = 50, ["fra"] = 30 },
            ["MS-200"] = new Dictionary<string, int> { ["ams"] = 100, ["fra"] = 80, ["mad"] = 40 },
            ["MN-270"] = new Dictionary<string, int> { ["ams"] = 3, ["fra"] = 2, ["mad"] = 2 },
            ["LP-140"] = new Dictionary<string, int> { ["fra"] = 10 },
            ["HB-010"] = new Dictionary<string, int> { ["ams"] = 20 },
            ["CB-001"] = new Dictionary<string, int> { ["ams"] = 500, ["mad"] = 500 },
        };

    public async Task<DemoDataResult> SeedAsync(CancellationToken ct)
    {
        foreach (var product in Products)
        {
            await catalogue.UpsertAsync(product, ct);
        }

        int added = 0, kept = 0;
        foreach (var (sku, warehouses) in Stock)
        {
            foreach (var (warehouse, units) in warehouses)
            {
                if (await stock.AddIfMissingAsync(sku, warehouse, units, ct))
                {
                    added++;
                }
                else
                {
                    kept++;
                }
            }
        }

        return new DemoDataResult(Products.Count, added, kept);
    }
}
