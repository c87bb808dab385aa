using System.Text;
using System.Text.Json;
using Workflows.Orders.Http;
using Workflows.Shared.Http;
using Workflows.Tests.Assets;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Orders;

/// <summary>JSON bodies of the order endpoints are capped (256 KB): a larger one is refused before it is parsed.</summary>
public sealed class OrderRequestLimitsTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StartOrder_BodyOverTheCap_Answers413AndStartsNothing(bool lengthKnown)
    {
        // Arrange: a well-formed order padded past the cap, sent with a Content-Length or chunked.
        await using var orders = await OrdersTestApp.StartAsync();
        await orders.SeedAsync("KB", 10.00m, ("ams", 5));
        var id = $"big-{Guid.NewGuid():N}";
        var body = Padded(OrderBody.Of(("KB", 1)).WithId(id), JsonRequestBody.MaxBytes + 1);
        var request = lengthKnown
            ? TestHttp.Request("POST", "/api/orders", new MemoryStream(body), "application/json")
            : TestHttp.Request("POST", "/api/orders", new ForwardOnlyStream(body), "application/json");

        // Act
        var response = await (await orders.App.CreateFunction<StartOrderHttp>().StartOrder(request, orders.Client)).ExecuteAsync(request);

        // Assert
        Assert.Equal(413, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        Assert.Null(await orders.Client.GetInstanceAsync(id));
    }

    [Fact]
    public async Task StartOrder_BodyExactlyAtTheCap_IsAccepted()
    {
        // Arrange: the same padding, up to exactly the cap, is an ordinary (valid) order.
        await using var orders = await OrdersTestApp.StartAsync();
        await orders.SeedAsync("KB", 10.00m, ("ams", 5));
        var body = Padded(OrderBody.Of(("KB", 1)), JsonRequestBody.MaxBytes);
        var request = TestHttp.Request("POST", "/api/orders", new ForwardOnlyStream(body), "application/json");

        // Act
        var response = await (await orders.App.CreateFunction<StartOrderHttp>().StartOrder(request, orders.Client)).ExecuteAsync(request);

        // Assert
        Assert.Equal(202, response.StatusCode);
    }

    [Fact]
    public async Task ApproveOrder_BodyOverTheCap_Answers413()
    {
        // Arrange
        await using var orders = await OrdersTestApp.StartAsync();
        var body = Encoding.UTF8.GetBytes($"{{\"approved\": true, \"note\": \"{new string('x', JsonRequestBody.MaxBytes)}\"}}");
        var request = TestHttp.Request("POST", "/api/orders/any/approve", new ForwardOnlyStream(body), "application/json");

        // Act
        var response = await (await orders.App.CreateFunction<OrderCommandsHttp>().ApproveOrder(request, "any", orders.Client)).ExecuteAsync(request);

        // Assert
        Assert.Equal(413, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
    }

    /// <summary>The body as JSON followed by spaces up to exactly <paramref name="size"/> bytes (whitespace is valid JSON padding).</summary>
    private static byte[] Padded(OrderBody body, int size)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(body, Web);
        var padded = new byte[size];
        json.CopyTo(padded, 0);
        padded.AsSpan(json.Length).Fill((byte)' ');
        return padded;
    }
}
