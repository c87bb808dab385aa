using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Orders;
using Workflows.Orders.Http;
using Workflows.Orders.Storage;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Orders;

/// <summary>The saga on the Azure Storage backend (what Durable Functions runs on): restarts and reused instance ids.</summary>
public sealed class OrderPersistenceTests
{
    private static readonly OrderBody Laptops = OrderBody.Of(("LP", 2));

    [Fact]
    public async Task OrderFulfilment_HostRestartsWhileAwaitingApproval_ApprovalAfterRestartCompletesOnce()
    {
        // Arrange
        await using var app = await PersistentTestApp.StartAsync(OrdersTestApp.Configure);
        await SeedAsync(app);
        var id = $"restart-{Guid.NewGuid():N}";
        Assert.Equal(202, (await PostAsync(app, Laptops, id)).StatusCode);
        await WaitForCustomStatusAsync(app, id, "approval due by"); // committed with the timer: nothing is in flight

        // Act
        await app.RestartAsync();
        var approve = TestHttp.Request("POST", $"/api/orders/{id}/approve");
        var approved = await (await app.CreateFunction<OrderCommandsHttp>().ApproveOrder(approve, id, app.Client)).ExecuteAsync(approve);
        var done = await app.WaitForCompletionAsync(id);

        // Assert
        Assert.Equal(202, approved.StatusCode);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(OrderStatus.Completed, done.ReadOutputAs<OrderOutcome>()!.Status);
        var stock = Assert.Single(await app.Services.GetRequiredService<StockStore>().GetStockAsync("LP", CancellationToken.None));
        Assert.Equal((3, 0), (stock.Available, stock.Reserved));
    }

    [Fact]
    public async Task StartOrder_SameKeyPostedConcurrently_OneSagaOnAzureStorage()
    {
        // Arrange
        await using var app = await PersistentTestApp.StartAsync(s =>
        {
            OrdersTestApp.Configure(s);
            s["Orders:ApprovalThreshold"] = "100000";
        });
        await SeedAsync(app);
        var id = $"dup-{Guid.NewGuid():N}";

        // Act: five identical requests race; then one more after the order finished.
        var racing = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PostAsync(app, Laptops, id)));
        var done = await app.WaitForCompletionAsync(id);
        var late = await PostAsync(app, Laptops, id);

        // Assert
        Assert.All(racing, r => Assert.Contains(r.StatusCode, new[] { 200, 202 }));
        Assert.Contains(racing, r => r.StatusCode == 202);
        Assert.Equal(200, late.StatusCode);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var ledger = await app.Services.GetRequiredService<PaymentLedger>().ListAsync(id, CancellationToken.None);
        Assert.Single(ledger);
        var stock = Assert.Single(await app.Services.GetRequiredService<StockStore>().GetStockAsync("LP", CancellationToken.None));
        Assert.Equal((3, 0), (stock.Available, stock.Reserved));
    }

    private static async Task SeedAsync(PersistentTestApp app)
    {
        await app.Services.GetRequiredService<CatalogueStore>().UpsertAsync(new Product("LP", "Laptop", 600m, "EUR"), CancellationToken.None);
        await app.Services.GetRequiredService<StockStore>().AddIfMissingAsync("LP", "fra", 5, CancellationToken.None);
    }

    private static async Task<TestHttpResponse> PostAsync(PersistentTestApp app, OrderBody body, string key)
    {
        var request = TestHttp.Request("POST", "/api/orders", body, new Dictionary<string, string> { [StartOrderHttp.IdempotencyKeyHeader] = key });
        return await (await app.CreateFunction<StartOrderHttp>().StartOrder(request, app.Client)).ExecuteAsync(request);
    }

    private static Task<string?> WaitForCustomStatusAsync(PersistentTestApp app, string id, string text) =>
        Poll.UntilAsync(
            $"the custom status of {id} to say '{text}'",
            TimeSpan.FromSeconds(90),
            async ct => (await app.Client.GetInstanceAsync(id, getInputsAndOutputs: true, ct))?.SerializedCustomStatus,
            status => status?.Contains(text, StringComparison.Ordinal) == true);
}
