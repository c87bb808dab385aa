using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Workflows.Orders.Http;

public sealed class DemoDataHttp(DemoData demoData, IOptions<OrdersOptions> options)
{
    /// <summary>
    /// Seeds the demo catalogue and stock (admin key; idempotent: safe to run any number of times). Outside Development
    /// only with <c>Orders:EnableDemoData</c>, else 404: demo stock must never appear in a real shop by accident.
    /// </summary>
    [Function(nameof(SeedOrderDemoData))]
    public async Task<IActionResult> SeedOrderDemoData(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "orders/demo-data")] HttpRequest req) =>
        options.Value.EnableDemoData
            ? new OkObjectResult(await demoData.SeedAsync(req.HttpContext.RequestAborted))
            : OrderProblems.DemoDataDisabled();
}
