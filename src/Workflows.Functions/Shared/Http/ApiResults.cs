using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Workflows.Shared.Http;

/// <summary>The responses every HTTP function shares: RFC 9457 problem details and absolute API URLs.</summary>
internal static class ApiResults
{
    public const string ProblemContentType = "application/problem+json";

    /// <summary>A 4xx/5xx answer as <c>application/problem+json</c>.</summary>
    public static ObjectResult Problem(int status, string title, string detail, string? instance = null) =>
        AsProblem(new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = instance });

    /// <summary>A 400 listing every broken rule, keyed by field.</summary>
    public static ObjectResult ValidationProblem(IDictionary<string, string[]> errors, string title, string detail) =>
        AsProblem(new ValidationProblemDetails(errors) { Status = StatusCodes.Status400BadRequest, Title = title, Detail = detail });

    /// <summary>Absolute URL of <c>/api/{path}</c> on the host the request came to; segments must already be escaped.</summary>
    public static string Url(HttpRequest req, string path) => $"{req.Scheme}://{req.Host}{req.PathBase}/api/{path}";

    private static ObjectResult AsProblem(ProblemDetails problem)
    {
        var result = new ObjectResult(problem) { StatusCode = problem.Status };
        result.ContentTypes.Add(ProblemContentType);
        return result;
    }
}
