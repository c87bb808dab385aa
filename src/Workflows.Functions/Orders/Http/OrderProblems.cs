using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Workflows.Orders.Http;

/// <summary>Problem-details responses (<c>application/problem+json</c>) of the Orders API.</summary>
internal static class OrderProblems
{
    public static ObjectResult Validation(IDictionary<string, string[]> errors) =>
        Problem(new ValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The order is not valid.",
            Detail = "See 'errors': every broken rule is listed. No order was started.",
        });

    public static ObjectResult NotFound(string id) =>
        Problem(new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "Order not found.", Detail = $"No order '{id}'." });

    public static ObjectResult Conflict(string title, string detail) =>
        Problem(new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = title, Detail = detail });

    private static ObjectResult Problem(ProblemDetails problem)
    {
        var result = new ObjectResult(problem) { StatusCode = problem.Status };
        result.ContentTypes.Add("application/problem+json");
        return result;
    }

    /// <summary>Absolute URL of an order view, from the request's own scheme and host.</summary>
    public static string OrderUrl(HttpRequest req, string id) =>
        $"{req.Scheme}://{req.Host}{req.PathBase}/api/orders/{Uri.EscapeDataString(id)}";
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
