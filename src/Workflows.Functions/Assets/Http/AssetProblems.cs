using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Workflows.Shared.Http;

namespace Workflows.Assets.Http;

/// <summary>RFC 9457 problem-details responses (<c>application/problem+json</c>) for the asset endpoints.</summary>
internal static class AssetProblems
{
    public static ObjectResult NotFound(string id) =>
        ApiResults.Problem(StatusCodes.Status404NotFound, "Asset not found", $"There is no asset '{id}'.");
}
