using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Orders;
using Workflows.Orders.Http;
using Workflows.Orders.Storage;
using Workflows.Shared.Http;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Orders;

/// <summary><c>GET /api/orders</c> through the real HTTP server, on an app (and Orders tables) of each test's own.</summary>
public sealed class OrderListTests : IAsyncLifetime
{
    private HttpTestApp _api = null!;

    public async Task InitializeAsync()
    {
        _api = await HttpTestApp.StartAsync(OrdersTestApp.Configure);
        foreach (var sku in new[] { "LST-A", "LST-B" })
        {
            await _api.Get<CatalogueStore>().UpsertAsync(new Product(sku, sku, 10m, "EUR"), CancellationToken.None);
            await _api.Get<StockStore>().AddIfMissingAsync(sku, "ams", 1000, CancellationToken.None);
        }
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task ListOrders_SeveralOrders_NewestFirstWithTheirViewsUrls()
    {
        // Arrange
        var first = await PlaceAsync(OrderBody.Of(("LST-A", 1)));
        var second = await PlaceAsync(OrderBody.Of(("LST-A", 2), ("LST-B", 1)));

        // Act
        var page = await ListAsync("");

        // Assert
        Assert.Equal([second, first], page.Items.Select(o => o.Id));
        var newest = page.Items[0];
        Assert.Equal((OrderStatus.Completed, 30m, "EUR", 2), (newest.Status, newest.Total, newest.Currency, newest.Lines));
        Assert.Equal(["LST-A", "LST-B"], newest.Skus);
        Assert.EndsWith($"/api/orders/{second}", newest.Url, StringComparison.Ordinal);
        Assert.Null(page.ContinuationToken);
    }

    [Fact]
    public async Task ListOrders_ByStatusAndSku_ReturnsOnlyMatches()
    {
        // Arrange
        var completed = await PlaceAsync(OrderBody.Of(("LST-A", 1)));
        var declined = await PlaceAsync(OrderBody.Of(("LST-B", 1)).PaidWith("tok_decline"));

        // Act
        var failed = await ListAsync("?status=Failed");
        var finished = await ListAsync("?status=failed,Completed");
        var withB = await ListAsync("?sku=LST-B");
        var completedWithB = await ListAsync("?sku=LST-B&status=Completed");

        // Assert
        Assert.Equal([declined], failed.Items.Select(o => o.Id));
        Assert.Equal([declined, completed], finished.Items.Select(o => o.Id));
        Assert.Equal([declined], withB.Items.Select(o => o.Id));
        Assert.Empty(completedWithB.Items);
    }

    [Fact]
    public async Task ListOrders_CreatedRange_FromIsInclusiveAndToExclusive()
    {
        // Arrange
        var older = await PlaceAsync(OrderBody.Of(("LST-A", 1)));
        var newer = await PlaceAsync(OrderBody.Of(("LST-A", 1)));
        var at = (await ListAsync("")).Items.Single(o => o.Id == newer).CreatedAt;

        // Act
        var fromNewer = await ListAsync($"?createdFrom={Iso(at)}");
        var toNewer = await ListAsync($"?createdTo={Iso(at)}");
        var future = await ListAsync($"?createdFrom={Iso(DateTime.UtcNow.AddDays(1))}");

        // Assert
        Assert.Equal([newer], fromNewer.Items.Select(o => o.Id));
        Assert.Equal([older], toNewer.Items.Select(o => o.Id));
        Assert.Empty(future.Items);
    }

    [Fact]
    public async Task ListOrders_SeveralPagesWhileNewOrdersArrive_EachOrderOnceAndNewOnesOnTop()
    {
        // Arrange
        List<string> placed = [];
        for (var i = 0; i < 5; i++)
        {
            placed.Add(await PlaceAsync(OrderBody.Of(("LST-A", 1))));
        }

        // Act: page through in twos while two more orders arrive after the first page
        List<ListPage<OrderListItem>> pages = [await ListAsync("?pageSize=2")];
        string[] arrived = [await PlaceAsync(OrderBody.Of(("LST-B", 1))), await PlaceAsync(OrderBody.Of(("LST-B", 1)))];
        while (pages[^1].ContinuationToken is { } token)
        {
            pages.Add(await ListAsync($"?pageSize=2&continuationToken={token}"));
        }

        var fresh = await ListAsync("?pageSize=2");

        // Assert
        Assert.Equal([2, 2, 1], pages.Select(p => p.Items.Count));
        Assert.Equal(Enumerable.Reverse(placed), pages.SelectMany(p => p.Items).Select(o => o.Id));
        Assert.Equal(arrived.Reverse(), fresh.Items.Select(o => o.Id));
    }

    [Theory]
    [InlineData("status=Shipped", "status")]
    [InlineData("status=3", "status")]
    [InlineData("sku=no%20spaces", "sku")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("pageSize=ten", "pageSize")]
    [InlineData("createdFrom=tomorrow", "createdFrom")]
    [InlineData("createdTo=2026-01-01&createdFrom=2026-02-01", "createdTo")]
    [InlineData("continuationToken=xyz", "continuationToken")]
    [InlineData("sku=A&sku=B", "sku")]
    [InlineData("createdAfter=2026-01-01", "createdAfter")]
    public async Task ListOrders_BadQuery_Returns400NamingTheParameter(string query, string parameter)
    {
        // Act
        var problem = await HttpTestApp.AssertProblemAsync(await _api.Http.GetAsync($"orders?{query}"), 400);

        // Assert
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Fact]
    public async Task ListOrders_TokenThatIsNotAPosition_Returns400()
    {
        // Arrange: well-formed and checksummed, but not a row key of the order index
        var token = ContinuationTokens.Encode("'; drop table --");

        // Act + Assert
        await HttpTestApp.AssertProblemAsync(await _api.Http.GetAsync($"orders?continuationToken={token}"), 400);
    }

    [Fact]
    public async Task OrderIndex_LateDuplicateOfAnEarlierViewWrite_DoesNotMoveTheListBack()
    {
        // Arrange: the saga wrote Received (1) then Reserving (2)
        var views = _api.Get<OrderViewStore>();
        var id = TestNames.Unique("late");
        var at = DateTime.UtcNow;
        await views.ApplyAsync([new RecordProgressRequest(id, OrderStatus.Received, "Received", at, Sequence: 1)], CancellationToken.None);
        await views.ApplyAsync([new RecordProgressRequest(id, OrderStatus.Reserving, "Priced", at.AddSeconds(1), Sequence: 2)], CancellationToken.None);

        // Act: a late duplicate execution of write 1 arrives
        await views.ApplyAsync([new RecordProgressRequest(id, OrderStatus.Received, "Received", at, Sequence: 1)], CancellationToken.None);
        var listed = (await ListAsync("")).Items.Single(o => o.Id == id);

        // Assert
        Assert.Equal(OrderStatus.Reserving, listed.Status);
    }

    [Fact]
    public async Task OrderIndex_IndexWriteOfALaterStepLands_AnEarlierSequenceCannotOverwriteIt()
    {
        // Arrange: the index already holds write 2 (as when write 1's own index write comes late)
        var index = _api.Get<OrderIndexStore>();
        var id = TestNames.Unique("race");
        var created = DateTime.UtcNow;
        OrderView View(OrderStatus status) => new(id, status, null, null, [], [], [], [], null, created, created);
        await index.WriteAsync(View(OrderStatus.Reserving), 2, CancellationToken.None);

        // Act
        await index.WriteAsync(View(OrderStatus.Received), 1, CancellationToken.None);

        // Assert
        Assert.Equal(OrderStatus.Reserving, (await ListAsync("")).Items.Single(o => o.Id == id).Status);
    }

    [Fact]
    public async Task ListOrders_OrderParkedInCompensationFailedIndexedBeforeRowsSaidWhere_IsListedAsParkedThere()
    {
        // Arrange: a row as written before index rows carried ParkedIn: status CompensationFailed, no ParkedIn column
        // (the view's steps do not end with the park, so none is written).
        var id = TestNames.Unique("oldpark");
        var created = DateTime.UtcNow;
        var view = new OrderView(id, OrderStatus.CompensationFailed, null, null, [], [], [], [], null, created, created);
        await _api.Get<OrderIndexStore>().WriteAsync(view, 5, CancellationToken.None);

        // Act
        var listed = (await ListAsync("?status=CompensationFailed")).Items.Single(o => o.Id == id);

        // Assert
        Assert.Equal((OrderStatus.CompensationFailed, (OrderStatus?)OrderStatus.CompensationFailed), (listed.Status, listed.ParkedIn));
    }

    [Fact]
    public async Task ListOrders_ElevenStatusesADateRangeAndASecondPage_AsksAzureWithinItsFifteenComparisons()
    {
        // Arrange: two orders in the index; every query the app sends to the index table is noted (none is failed).
        // Azure Table storage refuses a filter of more than 15 comparisons (Azurite does not).
        var filters = new ConcurrentQueue<string>();
        var storage = new StorageFault();
        storage.FailNext(r => Noted(r, filters), 503, int.MaxValue);
        await using var orders = await OrdersTestApp.StartAsync(services: storage.InjectIntoAppStorage);
        var created = DateTime.UtcNow;
        foreach (var id in new[] { TestNames.Unique("many1"), TestNames.Unique("many2") })
        {
            await orders.Get<OrderIndexStore>().WriteAsync(
                new OrderView(id, OrderStatus.Failed, null, null, [], [], [], [], null, created, created), 1, CancellationToken.None);
        }

        var statuses = string.Join(',', Enum.GetNames<OrderStatus>().Where(s => s != nameof(OrderStatus.Completed)));
        var query = $"?status={statuses}&createdFrom={Iso(created.AddMinutes(-1))}&createdTo={Iso(created.AddMinutes(1))}&pageSize=1";

        // Act
        var first = await orders.ListOrdersAsync(query);
        var second = await orders.ListOrdersAsync($"{query}&continuationToken={Uri.EscapeDataString(first.ContinuationToken!)}");

        // Assert: both orders, each page asked for within the limit.
        Assert.Equal(2, first.Items.Concat(second.Items).Select(o => o.Id).Distinct().Count());
        Assert.NotEmpty(filters);
        Assert.All(filters, f => Assert.True(Regex.Count(f, " (eq|ne|gt|ge|lt|le) ") <= 15, f));
    }

    /// <summary>Notes the filter of a query of the order index table; never picks the request to fail.</summary>
    private static bool Noted(Azure.Core.Request request, ConcurrentQueue<string> filters)
    {
        var query = Uri.UnescapeDataString(request.Uri.Query);
        if (request.Uri.Path.EndsWith("Index()", StringComparison.Ordinal) && query.Contains("$filter=", StringComparison.Ordinal))
        {
            filters.Enqueue(query);
        }

        return false;
    }

    private async Task<string> PlaceAsync(OrderBody body)
    {
        using var response = await _api.PostAsync("orders", body);
        Assert.Equal(202, (int)response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<OrderAccepted>(HttpTestApp.Json))!.Id;
        await _api.App.WaitForCompletionAsync(id);
        return id;
    }

    private Task<ListPage<OrderListItem>> ListAsync(string query) => _api.GetAsync<ListPage<OrderListItem>>($"orders{query}");

    private static string Iso(DateTime time) => Uri.EscapeDataString(time.ToString("o"));
}
