using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Workflows.Assets.Storage;
using Workflows.Shared.Http;
using Workflows.Shared.Storage;

namespace Workflows.Assets.Http;

/// <summary>Read endpoints: the asset record and its renditions.</summary>
public sealed class AssetQueryHttp(AssetStore store, BlobReadLinks links, IOptions<AssetOptions> options)
{
    /// <summary><c>GET /api/assets/{id}</c>: the asset's status, metadata and renditions; 404 for an unknown id.</summary>
    [Function(nameof(GetAsset))]
    public async Task<IActionResult> GetAsset(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "assets/{id}")] HttpRequest req,
        string id,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(req);
        if (!AssetIds.IsValid(id))
        {
            return AssetProblems.NotFound(id);
        }

        await store.EnsureCreatedAsync(ct);
        var entity = await store.FindAsync(id, ct);
        if (entity is null)
        {
            return AssetProblems.NotFound(id);
        }

        var assetUri = ApiResults.Url(req, $"assets/{id}");
        return new OkObjectResult(AssetView.From(entity, assetUri));
    }

    /// <summary>
    /// <c>GET /api/assets/{id}/renditions/{name}</c> (e.g. <c>jpeg-800</c>): streams the rendition, or redirects to a
    /// short-lived read-only SAS URL of that one blob when configured. The blob name comes from the record, not the URL.
    /// </summary>
    [Function(nameof(GetRendition))]
    public async Task<IActionResult> GetRendition(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "assets/{id}/renditions/{name}")] HttpRequest req,
        string id,
        string name,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(req);
        if (!AssetIds.IsValid(id) || !AssetNames.IsValidRenditionName(name))
        {
            return AssetProblems.NotFound(id);
        }

        await store.EnsureCreatedAsync(ct);
        var entity = await store.FindAsync(id, ct);
        var rendition = entity is { StatusValue: AssetStatus.Ready }
            ? AssetStore.DeserializeRenditions(entity.RenditionsJson).FirstOrDefault(r => r.Name == name)
            : null;
        if (rendition is null)
        {
            return RenditionNotFound(id, name);
        }

        var blob = store.Renditions.GetBlobClient(rendition.BlobName);
        var settings = options.Value;
        if (settings.RedirectRenditionsWithSas)
        {
            // Signed here (account key, or a user-delegation key under an identity); only this one blob's read-only,
            // short-lived URL leaves the server.
            var link = await links.ReadUriAsync(blob, settings.RenditionSasLifetime, ct);
            return new RedirectResult(link.ToString(), permanent: false);
        }

        try
        {
            var download = await blob.DownloadStreamingAsync(cancellationToken: ct);
            return new FileStreamResult(download.Value.Content, rendition.ContentType)
            {
                EntityTag = new Microsoft.Net.Http.Headers.EntityTagHeaderValue(download.Value.Details.ETag.ToString("H")),
            };
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
            return RenditionNotFound(id, name); // deleted (asset delete, re-render) after the record was read
        }
    }

    private static ObjectResult RenditionNotFound(string id, string name) =>
        ApiResults.Problem(StatusCodes.Status404NotFound, "Rendition not found",
            $"Asset '{id}' has no rendition '{name}' (yet): check the asset's status and rendition list.");
}
