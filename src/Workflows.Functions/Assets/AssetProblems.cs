using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Workflows.Assets;

/// <summary>RFC 9457 problem-details responses (<c>application/problem+json</c>) for the asset endpoints.</summary>
internal static class AssetProblems
{
    public static ObjectResult Problem(int status, string title, string detail) =>
        new(new ProblemDetails { Status = status, Title = title, Detail = detail })
        {
            StatusCode = status,
            ContentTypes = { "application/problem+json" },
        };

    public static ObjectResult NotFound(string id) =>
        Problem(StatusCodes.Status404NotFound, "Asset not found", $"There is no asset '{id}'.");
}
