using System.Text;
using System.Text.Json;
using Workflows.Assets.Http;
using Workflows.Orders;
using Workflows.Orders.Http;
using Workflows.Orders.Storage;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Orders;

/// <summary><c>POST /api/orders</c>: validation before anything starts, and idempotent ids.</summary>
public sealed class OrderHttpTests
{
    public static TheoryData<string, string> InvalidBodies => new()
    {
        { "no-lines", "lines" },
        { "101-lines", "lines" },
        { "null-line", "lines[1]" },
        { "missing-sku", "lines[0].sku" },
        { "malformed-sku", "lines[0].sku" },
        { "unknown-sku", "lines[1].sku" },
        { "duplicate-sku", "lines[1].sku" },
        { "quantity-0", "lines[0].quantity" },
        { "quantity-1001", "lines[0].quantity" },
        { "missing-quantity", "lines[0].quantity" },
        { "no-address", "shippingAddress" },
        { "no-city", "shippingAddress.city" },
        { "bad-country", "shippingAddress.country" },
        { "no-token", "paymentToken" },
        { "bad-token", "paymentToken" },
        { "bad-order-id", "orderId" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task StartOrder_InvalidBody_Answers400ListingTheRuleAndStartsNothing(string rule, string field)
    {
        // Arrange
        await using var orders = await OrdersTestApp.StartAsync();
        await orders.SeedAsync("KB", 10.00m, ("ams", 5));
        var id = $"o{Guid.NewGuid():N}";
        var body = Break(OrderBody.Of(("KB", 1), ("KB2", 1)).WithId(id), rule);
        await orders.SeedAsync("KB2", 10.00m, ("ams", 5));

        // Act
        var response = await orders.PostOrderAsync(body);

        // Assert
        Assert.Equal(400, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        var errors = Errors(response);
        Assert.True(errors.ContainsKey(field), $"{field} not in {response.Text}");
        Assert.Single(errors);
        Assert.Null(await orders.Client.GetInstanceAsync(id));
    }

    [Theory]
    [InlineData(ReprocessAssetsHttp.InstanceId, null, "orderId")]
    [InlineData(null, "asset-0123456789abcdef0123456789abcdef", "Idempotency-Key")]
    public async Task StartOrder_IdOfAnotherWorkflowsInstance_Answers400AndStartsNothing(string? orderId, string? key, string field)
    {
        // Arrange: the order id is the instance id, so an order must not take an id the asset workflows start under
        // (the bulk reprocess singleton, an upload's pipeline): it would block them or be replaced by them.
        await using var orders = await OrdersTestApp.StartAsync();
        await orders.SeedAsync("KB", 10.00m, ("ams", 5));
        var body = OrderBody.Of(("KB", 1)) with { OrderId = orderId };

        // Act
        var response = await orders.PostOrderAsync(body, key);

        // Assert
        Assert.Equal(400, response.StatusCode);
        Assert.Equal([field], Errors(response).Keys);
        Assert.Null(await orders.Client.GetInstanceAsync(orderId ?? key!));
    }

    [Fact]
    public async Task StartOrder_ManyRulesBroken_ListsEveryError()
    {
        // Arrange
        await using var orders = await OrdersTestApp.StartAsync();
        var body = new OrderBody("bad id!", [new OrderLineBody("nope", 0)], null, "visa");

        // Act
        var response = await orders.PostOrderAsync(body);

        // Assert
        Assert.Equal(400, response.StatusCode);
        Assert.Equal(
            ["lines[0].quantity", "lines[0].sku", "orderId", "paymentToken", "shippingAddress"],
            Errors(response).Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("null")]
    [InlineData("{\"lines\": [{\"sku\": \"KB\", \"quantity\": \"two\"}]}")]
    public async Task StartOrder_UnreadableBody_Answers400(string raw)
    {
        // Arrange
        await using var orders = await OrdersTestApp.StartAsync();
        var request = TestHttp.Request("POST", "/api/orders", new MemoryStream(Encoding.UTF8.GetBytes(raw)), "application/json");

        // Act
        var response = await (await orders.App.CreateFunction<StartOrderHttp>().StartOrder(request, orders.Client)).ExecuteAsync(request);

        // Assert
        Assert.Equal(400, response.StatusCode);
        Assert.True(Errors(response).ContainsKey("body"));
    }

    [Fact]
    public async Task StartOrder_SameIdempotencyKeyTwice_RunsOneSagaAndAnswers200WithItsStatus()
    {
        // Arrange
        await using var orders = await OrdersTestApp.StartAsync();
        await orders.SeedAsync("KB", 10.00m, ("ams", 5));
        var key = $"key-{Guid.NewGuid():N}";
        var body = OrderBody.Of(("KB", 1));

        // Act
        var first = await orders.PostOrderAsync(body, key);
        await orders.WaitAsync(key);
        var second = await orders.PostOrderAsync(body, key);
        var reused = await orders.PostOrderAsync(OrderBody.Of(("KB", 2)), key);

        // Assert
        Assert.Equal(202, first.StatusCode);
        Assert.Equal($"http://localhost:7071/api/orders/{key}", first.Headers.Location.ToString());
        Assert.Equal(new OrderAccepted(key, $"http://localhost:7071/api/orders/{key}", OrderStatus.Received), first.Json<OrderAccepted>());
        Assert.Equal(200, second.StatusCode);
        Assert.Equal(OrderStatus.Completed, second.Json<OrderAccepted>()!.Status);
        Assert.Equal(409, reused.StatusCode);
        Assert.Equal((4, 0), OrderFulfilmentTests.Counts(await orders.StockAsync("KB", "ams"))); // charged and shipped once
    }

    [Fact]
    public async Task StartOrder_SameIdAfterInstanceWasPurged_SameRequestAnswers200AndAnyOtherRequest409()
    {
        // Arrange: an order that failed for lack of stock (its reservation rows are Released), then purged by an operator.
        await using var orders = await OrdersTestApp.StartAsync();
        await orders.SeedAsync("KB", 10.00m, ("ams", 1));
        var key = $"key-{Guid.NewGuid():N}";
        var body = OrderBody.Of(("KB", 2));
        await orders.PostOrderAsync(body, key);
        Assert.Equal(OrderStatus.Failed, (await orders.WaitAsync(key)).Status);
        await orders.Client.PurgeInstanceAsync(key);
        await orders.SeedAsync("KB", 10.00m); // restocking must not let the old id run again
        await orders.Get<StockStore>().AddIfMissingAsync("KB", "fra", 5, CancellationToken.None);

        // Act
        var again = await orders.PostOrderAsync(body, key);
        var otherLines = await orders.PostOrderAsync(OrderBody.Of(("KB", 1)), key);
        var otherAddress = await orders.PostOrderAsync(body.ShippedTo("SW1A 1AA"), key);
        var otherCard = await orders.PostOrderAsync(body.PaidWith("tok_visa"), key);

        // Assert: the whole request is compared (through the view's fingerprint), not only its lines.
        Assert.Equal(200, again.StatusCode);
        Assert.Equal(OrderStatus.Failed, again.Json<OrderAccepted>()!.Status);
        Assert.Equal((409, 409, 409), (otherLines.StatusCode, otherAddress.StatusCode, otherCard.StatusCode));
        Assert.Null(await orders.Client.GetInstanceAsync(key));
        Assert.Equal((5, 0), OrderFulfilmentTests.Counts(await orders.StockAsync("KB", "fra")));
    }

    private static Dictionary<string, string[]> Errors(TestHttpResponse response) =>
        JsonDocument.Parse(response.Text).RootElement.GetProperty("errors").Deserialize<Dictionary<string, string[]>>()!;

    private static OrderBody Break(OrderBody body, string rule) => rule switch
    {
        "no-lines" => body with { Lines = [] },
        "101-lines" => body with { Lines = Enumerable.Range(0, 101).Select(i => (OrderLineBody?)new OrderLineBody(i % 2 == 0 ? "KB" : "KB2", 1)).ToList() },
        "null-line" => body with { Lines = [body.Lines![0], null] },
        "missing-sku" => body with { Lines = [new OrderLineBody(null, 1), body.Lines![1]] },
        "malformed-sku" => body with { Lines = [new OrderLineBody("K B/1", 1), body.Lines![1]] },
        "unknown-sku" => body with { Lines = [body.Lines![0], new OrderLineBody("NOPE", 1)] },
        "duplicate-sku" => body with { Lines = [body.Lines![0], body.Lines![0]] },
        "quantity-0" => body with { Lines = [new OrderLineBody("KB", 0), body.Lines![1]] },
        "quantity-1001" => body with { Lines = [new OrderLineBody("KB", 1001), body.Lines![1]] },
        "missing-quantity" => body with { Lines = [new OrderLineBody("KB", null), body.Lines![1]] },
        "no-address" => body with { ShippingAddress = null },
        "no-city" => body with { ShippingAddress = OrderBody.Address with { City = " " } },
        "bad-country" => body with { ShippingAddress = OrderBody.Address with { Country = "Britain" } },
        "no-token" => body with { PaymentToken = null },
        "bad-token" => body with { PaymentToken = "4111111111111111" },
        "bad-order-id" => body with { OrderId = "has spaces" },
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };
}
