using Azure.Core;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Orders;
using Workflows.Orders.Http;
using Workflows.Orders.Storage;
using Workflows.Tests.TestSupport;
using Xunit.Abstractions;

namespace Workflows.Tests.Orders;

/// <summary>
/// What the workers' ETag memory (<c>Shared/Storage/RecentWrites</c>, one per worker) is worth once an order's activities
/// are spread over two app hosts on one task hub (README, Storage and concurrency): the app's storage requests per order
/// with one host, then with two. A measurement: it prints the figures and asserts only what makes them meaningful.
/// </summary>
public sealed class OrderScaleOutRequestsTests(ITestOutputHelper output)
{
    private const int Orders = 20;

    [Fact]
    public async Task OrderBatch_OneHostThenTwoOnOneTaskHub_RequestsPerOrderPrinted()
    {
        // Arrange: one-line orders below the approval threshold, as the bench's, but each of a SKU of its own (so stock
        // contention, which two hosts make worse, does not count); every host's clients counted, the second's apart too.
        var all = new StorageRequests();
        var second = new StorageRequests();
        await using var app = await PersistentTestApp.StartAsync(OrdersTestApp.Configure, s => Count(s, all));
        await RunBatchAsync(app, "warm", 1); // creates the local providers' tables

        // Act
        all.Reset();
        await RunBatchAsync(app, "one", Orders);
        var oneHost = Activities(all);
        await using var other = await app.AddHostAsync(s => Count(s, second));
        all.Reset();
        await RunBatchAsync(app, "two", Orders);
        var twoHosts = Activities(all);

        // Assert: every order completed (RunBatchAsync), and the second host ran some of their activities.
        Print("one host", oneHost);
        Print("two hosts", twoHosts);
        output.WriteLine($"second host's share: {Activities(second).Values.Sum() / (double)twoHosts.Values.Sum():P0}");
        Assert.NotEmpty(Activities(second));
    }

    private static void Count(IServiceCollection services, StorageRequests requests) =>
        services.AddAzureClients(clients => clients.ConfigureDefaults(o => o.AddPolicy(requests, HttpPipelinePosition.PerRetry)));

    private static async Task RunBatchAsync(PersistentTestApp app, string batch, int count)
    {
        var skus = Enumerable.Range(0, count).Select(i => $"SCALE-{batch}-{i}").ToList();
        foreach (var sku in skus)
        {
            await app.Services.GetRequiredService<CatalogueStore>().UpsertAsync(new Product(sku, "Widget", 10m, "EUR"), CancellationToken.None);
            await app.Services.GetRequiredService<StockStore>().AddIfMissingAsync(sku, "ams", 10, CancellationToken.None);
        }

        var ids = await Task.WhenAll(skus.Select(async sku =>
        {
            var request = TestHttp.Request("POST", "/api/orders", OrderBody.Of((sku, 1)));
            var response = await (await app.CreateFunction<StartOrderHttp>().StartOrder(request, app.Client)).ExecuteAsync(request);
            Assert.Equal(202, response.StatusCode);
            return response.Json<OrderAccepted>()!.Id;
        }));
        foreach (var done in await Task.WhenAll(ids.Select(id => app.WaitForCompletionAsync(id, TimeSpan.FromMinutes(5)))))
        {
            Assert.Equal(OrderStatus.Completed, done.ReadOutputAs<OrderOutcome>()!.Status);
        }
    }

    /// <summary>The requests made inside activities by operation, without table creation (once per host's first use).</summary>
    private static Dictionary<string, long> Activities(StorageRequests requests) =>
        requests.TakeSnapshot()
            .Where(c => c.Key.Activity != "(outside activities)" && !c.Key.Operation.Contains(" table", StringComparison.Ordinal))
            .GroupBy(c => c.Key.Operation)
            .ToDictionary(g => g.Key, g => g.Sum(c => c.Value));

    private void Print(string hosts, Dictionary<string, long> byOperation)
    {
        output.WriteLine($"{hosts}: {byOperation.Values.Sum() / (double)Orders:F1} requests per order");
        foreach (var (operation, n) in byOperation.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {operation}: {n / (double)Orders:F2} per order");
        }
    }
}
