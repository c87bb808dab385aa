using System.Collections.Concurrent;
using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Workflows.Shared.Storage;

namespace Workflows.Orders.Storage;

/// <summary>The Orders tables, each created at start-up and on first use (once per process).</summary>
public sealed class OrderTables(TableServiceClient service, IOptions<OrdersOptions> options) : IProvisionedStorage
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new();
    private readonly string _prefix = options.Value.TablePrefix;

    /// <summary>Products: PK <c>product</c>, RK SKU.</summary>
    public Task<TableClient> ProductsAsync(CancellationToken ct) => GetAsync("Products", ct);

    /// <summary>Stock and reservations, one partition per SKU so a reservation is one atomic transaction.</summary>
    public Task<TableClient> StockAsync(CancellationToken ct) => GetAsync("Stock", ct);

    /// <summary>Payments ledger: PK order id, RK <c>charge</c> / <c>refund</c>.</summary>
    public Task<TableClient> PaymentsAsync(CancellationToken ct) => GetAsync("Payments", ct);

    /// <summary>Shipments: PK order id, RK warehouse.</summary>
    public Task<TableClient> ShipmentsAsync(CancellationToken ct) => GetAsync("Shipments", ct);

    /// <summary>Order view (what clients read): PK order id, RK <c>view</c>.</summary>
    public Task<TableClient> ViewsAsync(CancellationToken ct) => GetAsync("Views", ct);

    /// <summary>Order list index (see <see cref="OrderIndexStore"/>): PK <c>orders</c> or <c>sku:{SKU}</c>, RK newest first.</summary>
    public Task<TableClient> IndexAsync(CancellationToken ct) => GetAsync("Index", ct);

    /// <summary>Sales per SKU, maintained from the events queue: PK SKU.</summary>
    public Task<TableClient> SalesAsync(CancellationToken ct) => GetAsync("Sales", ct);

    /// <summary>The local payment gateway's own charges and refunds (development provider only).</summary>
    public Task<TableClient> LocalGatewayAsync(CancellationToken ct) => GetAsync("LocalGateway", ct);

    /// <summary>The local carrier's own bookings (development provider only).</summary>
    public Task<TableClient> LocalCarrierAsync(CancellationToken ct) => GetAsync("LocalCarrier", ct);

    /// <summary>Creates every table above but the local providers' (created on first use, only where they serve).</summary>
    public Task EnsureCreatedAsync(CancellationToken ct) =>
        Task.WhenAll(ProductsAsync(ct), StockAsync(ct), PaymentsAsync(ct), ShipmentsAsync(ct), ViewsAsync(ct), IndexAsync(ct), SalesAsync(ct));

    private Task<TableClient> GetAsync(string suffix, CancellationToken ct)
    {
        var lazy = _tables.GetOrAdd(suffix, Create);
        if (lazy.Value.IsFaulted)
        {
            // Don't cache a failed create (storage briefly unreachable): this call tries again.
            _tables.TryRemove(new KeyValuePair<string, Lazy<Task<TableClient>>>(suffix, lazy));
            lazy = _tables.GetOrAdd(suffix, Create);
        }

        return lazy.Value.WaitAsync(ct);
    }

    private Lazy<Task<TableClient>> Create(string suffix) => new(() => CreateAsync(_prefix + suffix));

    private async Task<TableClient> CreateAsync(string name)
    {
        var table = service.GetTableClient(name);
        await table.CreateIfNotExistsAsync();
        return table;
    }
}

/// <summary>Money is stored as invariant decimal text (Tables has no decimal type, and doubles round).</summary>
internal static class Money
{
    public static string ToText(decimal amount) => amount.ToString(CultureInfo.InvariantCulture);

    public static decimal Parse(string? text) =>
        string.IsNullOrEmpty(text) ? 0m : decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);
}
