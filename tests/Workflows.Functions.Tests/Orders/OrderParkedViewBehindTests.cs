using System.Text.Json;
using Azure.Core;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Workflows.Orders;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Orders;

/// <summary>
/// While an order parks its view is written best effort (a storage outage may be why it parks). When that write is
/// lost, <c>GET /api/orders/{id}</c> still says where the order waits for an operator, from the saga's own state.
/// </summary>
public sealed class OrderParkedViewBehindTests
{
    [Fact]
    public async Task GetOrder_CancelledOrderParkedWhileItsViewCannotBeWritten_SaysItIsParkedInCompletionFailed()
    {
        // Arrange: a large order waits for approval; then the order views refuse every write (reads still work).
        var outage = new StorageFault();
        await using var orders = await OrdersTestApp.StartAsync(services: outage.InjectIntoAppStorage);
        await orders.SeedAsync("MN", 600.00m, ("ams", 5));
        var id = await orders.StartOrderAsync(OrderBody.Of(("MN", 2)));
        await orders.WaitForStatusAsync(id, OrderStatus.AwaitingApproval);
        var viewsDown = true;
        var views = "/" + orders.Get<IOptions<OrdersOptions>>().Value.TablePrefix + "Views";
        outage.FailNext(r => viewsDown && r.Method != RequestMethod.Get && r.Uri.Path.Contains(views, StringComparison.Ordinal), 503, int.MaxValue);

        // Act 1: the customer cancels; the compensated order cannot record Cancelled, so it parks, its view behind.
        Assert.Equal(202, (await orders.CommandAsync(id, "cancel")).StatusCode);
        Assert.Equal((OrchestrationRuntimeStatus.Running, OrderStatus.CompletionFailed), await orders.ParkedOrEndedAsync(id));
        var parked = await orders.GetOrderAsync(id);

        // Assert 1: the view still says AwaitingApproval, but the order says where it waits.
        Assert.Equal(("AwaitingApproval", "Running", "CompletionFailed"), Shown(parked));

        // Act 2: storage is back; an operator resumes the order.
        viewsDown = false;
        Assert.Equal(202, (await orders.CommandAsync(id, "resume")).StatusCode);
        await orders.WaitAsync(id);

        // Assert 2: Cancelled, and no longer parked.
        Assert.Equal(("Cancelled", "Completed", null), Shown(await orders.GetOrderAsync(id)));
    }

    /// <summary>The order's status, runtime status and where it is parked (null when the body does not say).</summary>
    private static (string?, string?, string?) Shown(TestHttpResponse response)
    {
        Assert.Equal(200, response.StatusCode);
        var body = response.Json<JsonElement>();
        return (
            body.GetProperty("status").GetString(),
            body.GetProperty("runtimeStatus").GetString(),
            body.TryGetProperty("parkedIn", out var parkedIn) ? parkedIn.GetString() : null);
    }
}
