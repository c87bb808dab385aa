using Workflows.Orders.Storage;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Orders;

public sealed class ListProductsTests
{
    [Fact]
    public async Task ListProducts_SeededCatalogue_ReturnsEveryProductBySku()
    {
        // Arrange
        await using var api = await HttpTestApp.StartAsync(OrdersTestApp.Configure);
        await api.Get<CatalogueStore>().UpsertAsync(new Product("ZZ-2", "Second", 2.50m, "EUR"), CancellationToken.None);
        await api.Get<CatalogueStore>().UpsertAsync(new Product("AA-1", "First", 10m, "EUR"), CancellationToken.None);

        // Act
        var products = await api.GetAsync<List<Product>>("products");

        // Assert
        Assert.Equal([new Product("AA-1", "First", 10m, "EUR"), new Product("ZZ-2", "Second", 2.50m, "EUR")], products);
    }
}
