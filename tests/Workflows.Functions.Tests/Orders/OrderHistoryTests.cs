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
        await using var app = await PersistentTestApp.StartAsync(OrdersTestApp.Configure);
        await app.Services.GetRequiredService<CatalogueStore>().UpsertAsync(new Product("LP", "Laptop", 600m, "EUR"), CancellationToken.None);
        await app.Services.GetRequiredService<StockStore>().AddIfMissingAsync("LP", "fra", 5, CancellationToken.None);
        var id = $"rejected-{Guid.NewGuid():N}";
        var request = TestHttp.Request("POST", "/api/orders", OrderBody.Of(("LP", quantity)).WithId(id).PaidWith(token).ShippedTo(postalCode));
        Assert.Equal(202, (await (await app.CreateFunction<StartOrderHttp>().StartOrder(request, app.Client)).ExecuteAsync(request)).StatusCode);

        // Act
        var done = await app.WaitForCompletionAsync(id);
        var history = await app.GetHistoryAsync(id);

        // Assert
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(new OrderOutcome(id, OrderStatus.Failed, 600m * quantity, reason), done.ReadOutputAs<OrderOutcome>());
        Assert.Contains(EventType.TaskCompleted, history);
        Assert.True(!history.Contains(EventType.TaskFailed), $"{scenario}: a failed activity in the history");
    }
}
