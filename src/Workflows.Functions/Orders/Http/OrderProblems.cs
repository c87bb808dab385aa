using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Workflows.Shared.Http;

namespace Workflows.Orders.Http;

/// <summary>Problem-details responses (<c>application/problem+json</c>) of the Orders API.</summary>
internal static class OrderProblems
{
    public static ObjectResult Validation(IDictionary<string, string[]> errors) =>
        ApiResults.ValidationProblem(errors, "The order is not valid.", "See 'errors': every broken rule is listed. No order was started.");

    public static ObjectResult NotFound(string id) =>
        ApiResults.Problem(StatusCodes.Status404NotFound, "Order not found.", $"No order '{id}'.");

    public static ObjectResult Conflict(string title, string detail) =>
        ApiResults.Problem(StatusCodes.Status409Conflict, title, detail);

    public static ObjectResult DemoDataDisabled() =>
        ApiResults.Problem(StatusCodes.Status404NotFound, "Demo data is off.",
            "The demo-data seeder runs in Development, or with the app setting Orders__EnableDemoData=true.");

    public static ObjectResult TooLarge() =>
        ApiResults.Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large.",
            $"Order requests are JSON of at most {JsonRequestBody.MaxBytes / 1024} KB. Nothing was done.");

    /// <summary>Absolute URL of an order view, from the request's own scheme and host.</summary>
    public static string OrderUrl(HttpRequest req, string id) =>
        ApiResults.Url(req, $"orders/{Uri.EscapeDataString(id)}");
}

/// <summary>A JSON result with a <c>Location</c> header (202 for a new order, 200 for a repeated one).</summary>
internal sealed class LocatedResult(string location, object value) : ObjectResult(value)
{
    public string Location { get; } = location;

    public override void OnFormatting(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        base.OnFormatting(context);
        context.HttpContext.Response.Headers.Location = Location;
    }
}
