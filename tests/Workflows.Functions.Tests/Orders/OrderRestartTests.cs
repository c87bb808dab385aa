using System.Net.Http.Json;
using Microsoft.DurableTask.Client;
using Workflows.Orders;
using Workflows.Orders.Http;
using Workflows.Orders.Storage;
using Workflows.Tests.TestSupport;
using static Workflows.Tests.Orders.OrderFulfilmentTests;

namespace Workflows.Tests.Orders;

/// <summary>
/// An order's saga runs once: its idempotency keys are derived from the order id, so a second run would find (or
/// contradict) the effects of the first. The operations API refuses to restart it, and should a run be started again
/// anyway (an engine-level restart), its steps refuse to build on what the first run undid.
/// </summary>
public sealed class OrderRestartTests
{
    [Theory]
    [InlineData("")]
    [InlineData("?newInstanceId=true")]
    public async Task RestartWorkflow_FinishedOrder_Returns409AndStartsNothing(string query)
    {
        // Arrange
        await using var api = await HttpTestApp.StartAsync(OrdersTestApp.Configure);
        await api.Get<CatalogueStore>().UpsertAsync(new Product("RS", "RS", 10m, "EUR"), CancellationToken.None);
        await api.Get<StockStore>().AddIfMissingAsync("RS", "ams", 5, CancellationToken.None);
        using var placed = await api.PostAsync("orders", OrderBody.Of(("RS", 1)));
        var id = (await placed.Content.ReadFromJsonAsync<OrderAccepted>(HttpTestApp.Json))!.Id;
        var before = await api.App.WaitForCompletionAsync(id);

        // Act
        var problem = await HttpTestApp.AssertProblemAsync(await api.PostAsync($"workflows/{id}/restart{query}"), 409);

        // Assert
        Assert.Contains("POST /api/orders", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var after = await api.App.Client.GetInstanceAsync(id);
        Assert.Equal((OrchestrationRuntimeStatus.Completed, before.LastUpdatedAt), (after!.RuntimeStatus, after.LastUpdatedAt));
        List<string> instances = [];
        await foreach (var instance in api.App.Client.GetAllInstancesAsync(new OrchestrationQuery()))
        {
            instances.Add(instance.InstanceId);
        }

        Assert.Equal([id], instances);
        Assert.Single(await api.Get<PaymentLedger>().ListAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task OrderFulfilment_RestartedAfterItsReservationWasReleased_FailsAlreadyCompensatedAndShipsNothing()
    {
        // Arrange: a large order is cancelled while it waits for approval, so its reservation is released.
        await using var orders = await OrdersTestApp.StartAsync();
        await orders.SeedAsync("RL", 600.00m, ("fra", 5));
        var id = await orders.StartOrderAsync(OrderBody.Of(("RL", 2)));
        await orders.WaitForStatusAsync(id, OrderStatus.AwaitingApproval);
        await orders.CommandAsync(id, "cancel");
        Assert.Equal(OrderStatus.Cancelled, (await orders.WaitAsync(id)).Status);

        // Act: the engine runs the saga again under the same id (same keys), and an approval arrives for it.
        await orders.Client.RestartAsync(id, restartWithNewInstanceId: false);
        await orders.Client.RaiseEventAsync(id, OrderEvents.Approval, new ApprovalDecision(true, "test"));
        var outcome = await orders.WaitAsync(id);

        // Assert: the released reservation is not reported as reserved, so nothing is charged or shipped.
        Assert.Equal(OrderStatus.Failed, outcome.Status);
        Assert.StartsWith("already_compensated:", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal((5, 0), Counts(await orders.StockAsync("RL", "fra")));
        Assert.Empty(await orders.Get<PaymentLedger>().ListAsync(id, CancellationToken.None));
        Assert.Empty(await orders.Get<ShipmentStore>().ListAsync(id, CancellationToken.None));
    }
}
