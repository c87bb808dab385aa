using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Workflows.Orders.Http;

public sealed class DemoDataHttp(DemoData demoData)
{
    /// <summary>Seeds the demo catalogue and stock (admin key; idempotent: safe to run any number of times).</summary>
    [Function(nameof(SeedOrderDemoData))]
    public async Task<IActionResult> SeedOrderDemoData(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "orders/demo-data")] HttpRequest req) =>
        new OkObjectResult(await demoData.SeedAsync(req.HttpContext.RequestAborted));
}
