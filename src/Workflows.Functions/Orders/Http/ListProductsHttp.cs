using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Workflows.Orders.Storage;

namespace Workflows.Orders.Http;

public sealed class ListProductsHttp(CatalogueStore catalogue)
{
    private const int MaxProducts = 500;

    /// <summary>The catalogue (SKU, name, unit price, currency), by SKU: what an order can contain.</summary>
    [Function(nameof(ListProducts))]
    public async Task<IActionResult> ListProducts(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "products")] HttpRequest req) =>
        new OkObjectResult(await catalogue.ListAsync(MaxProducts, req.HttpContext.RequestAborted));
}
