using DurableTask.Core.History;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Orders;
using Workflows.Orders.Http;
using Workflows.Orders.Shipping;
using Workflows.Orders.Storage;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Orders;

/// <summary>
/// Business outcomes are results, not failures: on the Azure Storage backend (what Durable Functions runs on), a rejected
/// order's history holds no failed activity, so Application Insights counts no failed execution or exception for it.
/// </summary>
public sealed class OrderHistoryTests
{
    [Theory]
    [InlineData("declined card", 1, "tok_decline", "N1 9GU", "payment_declined: card_declined")]
    [InlineData("out of stock", 9, "tok_approve", "N1 9GU", "out_of_stock: LP requested 9, available 5")]
    [InlineData("undeliverable", 1, "tok_approve", LocalCarrier.UndeliverablePostalCode, "shipment_rejected: fra: undeliverable address")]
    public async Task OrderFulfilment_BusinessRejection_NoFailedActivityInTheHistory(
        string scenario, int quantity, string token, string postalCode, string reason)
    {
        // Arrange
        await using var app = await StartAsync();
        var id = await PlaceAsync(app, OrderBody.Of(("LP", quantity)).PaidWith(token).ShippedTo(postalCode));

        // Act
        var done = await app.WaitForCompletionAsync(id);
        var history = await app.GetHistoryAsync(id);

        // Assert
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(new OrderOutcome(id, OrderStatus.Failed, 600m * quantity, reason), done.ReadOutputAs<OrderOutcome>());
        Assert.Contains(EventType.TaskCompleted, history);
        Assert.True(!history.Contains(EventType.TaskFailed), $"{scenario}: a failed activity in the history");
    }

    [Fact]
    public async Task OrderFulfilment_TransientGatewayFailures_EachIsAFailedActivityInTheHistory()
    {
        // Arrange: the unexpected stays an exception: each unavailable attempt fails its execution, then one succeeds.
        await using var app = await StartAsync();
        var id = await PlaceAsync(app, OrderBody.Of(("LP", 1)).PaidWith("tok_transient_2"));

        // Act
        var done = await app.WaitForCompletionAsync(id);
        var history = await app.GetHistoryAsync(id);

        // Assert
        Assert.Equal(OrderStatus.Completed, done.ReadOutputAs<OrderOutcome>()!.Status);
        Assert.Equal(2, history.Count(e => e == EventType.TaskFailed));
    }

    private static async Task<PersistentTestApp> StartAsync()
    {
        var app = await PersistentTestApp.StartAsync(OrdersTestApp.Configure);
        await app.Services.GetRequiredService<CatalogueStore>().UpsertAsync(new Product("LP", "Laptop", 600m, "EUR"), CancellationToken.None);
        await app.Services.GetRequiredService<StockStore>().AddIfMissingAsync("LP", "fra", 5, CancellationToken.None);
        return app;
    }

    private static async Task<string> PlaceAsync(PersistentTestApp app, OrderBody body)
    {
        var id = $"order-{Guid.NewGuid():N}";
        var request = TestHttp.Request("POST", "/api/orders", body.WithId(id));
        Assert.Equal(202, (await (await app.CreateFunction<StartOrderHttp>().StartOrder(request, app.Client)).ExecuteAsync(request)).StatusCode);
        return id;
    }
}
