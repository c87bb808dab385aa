using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using Workflows.Orders;
using Workflows.Orders.Http;
using Workflows.Orders.Storage;
using Workflows.Tests.TestSupport;
using static Workflows.Tests.Orders.OrderFulfilmentTests;

namespace Workflows.Tests.Orders;

/// <summary>
/// Terminating an order's saga skips its compensations: the stock stays reserved and a charge stays made. The operations
/// API therefore points operators at cancelling the order and terminates only when asked with <c>?force=true</c>.
/// </summary>
public sealed class OrderTerminateTests
{
    [Fact]
    public async Task TerminateWorkflow_OrderAwaitingApproval_IsRefusedUntilForcedAndNamesCancelling()
    {
        // Arrange: a large order holds 2 of 5 units while it waits for approval.
        await using var api = await HttpTestApp.StartAsync(OrdersTestApp.Configure);
        var sku = TestNames.Unique("TT");
        await api.Get<CatalogueStore>().UpsertAsync(new Product(sku, sku, 600m, "EUR"), CancellationToken.None);
        await api.Get<StockStore>().AddIfMissingAsync(sku, "fra", 5, CancellationToken.None);
        using var placed = await api.PostAsync("orders", OrderBody.Of((sku, 2)));
        var id = (await placed.Content.ReadFromJsonAsync<OrderAccepted>(HttpTestApp.Json))!.Id;
        await WaitForOrderStatusAsync(api, id, OrderStatus.AwaitingApproval);

        // Act
        var refused = await HttpTestApp.AssertProblemAsync(await api.PostAsync($"workflows/{id}/terminate"), 409);
        var details = await api.GetAsync<JsonElement>($"workflows/{id}");
        var stillRunning = await api.App.Client.GetInstanceAsync(id);
        using var forced = await api.PostAsync($"workflows/{id}/terminate?force=true", new { reason = "operator chose to" });
        var terminated = await api.App.WaitForCompletionAsync(id);

        // Assert: refused while the order runs, with the way out; forced, it ends with the stock still reserved.
        Assert.Contains($"POST /api/orders/{{id}}/cancel", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("?force=true", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("/cancel", details.GetProperty("insteadOfTerminate").GetString(), StringComparison.Ordinal);
        Assert.Equal(OrchestrationRuntimeStatus.Running, stillRunning!.RuntimeStatus);
        Assert.Equal(202, (int)forced.StatusCode);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, terminated.RuntimeStatus);
        Assert.Equal((3, 2), (await api.Get<StockStore>().GetStockAsync(sku, CancellationToken.None)).Select(s => (s.Available, s.Reserved)).Single());
    }

    private static Task<OrderView?> WaitForOrderStatusAsync(HttpTestApp api, string id, OrderStatus status) =>
        OrdersTestApp.WaitForViewAsync(api.Get<OrderViewStore>(), id, view => view.Status == status);
}
