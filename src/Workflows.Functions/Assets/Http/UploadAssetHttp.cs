using Azure;
using Azure.Storage;
using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Workflows.Assets.Imaging;
using Workflows.Assets.Storage;
using Workflows.Assets.Uploads;
using Workflows.Shared.Http;

namespace Workflows.Assets.Http;

/// <summary>The 202 body of an accepted upload.</summary>
public sealed record AssetAccepted(string Id, string Status, string StatusUri);

/// <summary>
/// <c>POST /api/assets?name=photo.jpg</c> with the raw image as body. Streams the body into the HTTP uploads container
/// (never whole in memory; not the container the blob trigger watches) and starts the pipeline directly.
/// </summary>
public sealed class UploadAssetHttp(AssetStore store, AssetStarter starter, IOptions<AssetOptions> options, TimeProvider clock)
{
    private const int TransferChunk = 4 * 1024 * 1024;

    // The formats the imaging core decodes (the content is checked again, whatever the declared type).
    private static readonly IReadOnlyDictionary<string, string> Extensions = ImageFormats.UploadContentTypes;

    /// <summary>
    /// Accepts an image upload: 202 with the asset id and status URL; 400 for a bad name or an empty body; 413 over the
    /// size limit; 415 for other declared types or a body that does not start like a supported image.
    /// </summary>
    [Function(nameof(UploadAsset))]
    public async Task<IActionResult> UploadAsset(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "assets")] HttpRequest req,
        [DurableClient] DurableTaskClient client,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(req);
        var maxBytes = options.Value.MaxUploadBytes;
        if (!MediaTypeHeaderValue.TryParse(req.ContentType, out var mediaType)
            || !Extensions.TryGetValue(mediaType.MediaType.Value ?? string.Empty, out var extension))
        {
            return ApiResults.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"Send the image as the raw body with Content-Type one of: {string.Join(", ", Extensions.Keys)}.");
        }

        if (req.ContentLength > maxBytes)
        {
            return TooLarge(maxBytes);
        }

        var originalName = req.Query.TryGetValue("name", out var named) ? named.ToString() : "upload" + extension;
        if (AssetNames.ValidateOriginalName(originalName) is { } nameProblem)
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, "Invalid file name", nameProblem);
        }

        // The first bytes tell an empty or obviously non-image body at once; they are replayed into the upload.
        var body = new LimitedReadStream(req.Body, maxBytes);
        var head = await body.PeekAsync(FormatSniffer.HeaderLength, ct);
        if (head.IsEmpty)
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, "Empty upload", ImageRejectedException.Empty().Message);
        }

        if (FormatSniffer.Sniff(head.Span) is (null, var detected))
        {
            return ApiResults.Problem(StatusCodes.Status415UnsupportedMediaType, "Not a supported image",
                ImageRejectedException.Unsupported(detected).Message);
        }

        await store.EnsureCreatedAsync(ct);
        var contentType = mediaType.MediaType.Value!.ToLowerInvariant();
        var metadata = new Dictionary<string, string> { [AssetStarter.OriginalNameMetadataKey] = Uri.EscapeDataString(originalName) };
        var blob = store.HttpUploads.GetBlobClient($"http-{Guid.NewGuid():N}");
        Response<BlobContentInfo> uploaded;
        try
        {
            uploaded = await blob.UploadAsync(body, new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                Metadata = metadata,
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                // Bounded memory per upload: at most two 4 MB blocks in flight.
                TransferOptions = new StorageTransferOptions
                {
                    InitialTransferSize = TransferChunk, MaximumTransferSize = TransferChunk, MaximumConcurrency = 2,
                },
            }, ct);
        }
        catch (Exception) when (body.LimitExceeded)
        {
            // Nothing was committed: staged blocks of an uncommitted blob are discarded by the service.
            return TooLarge(maxBytes);
        }

        // The app's clock, not the blob's Last-Modified (whole seconds): uploads of the same second still list newest first.
        var request = starter.RequestFor(blob.BlobContainerName, blob.Name, uploaded.Value.ETag, metadata);
        await starter.StartAsync(client, request, new UploadReceipt(body.BytesRead, clock.GetUtcNow(), contentType), ct);

        var statusUri = ApiResults.Url(req, $"assets/{request.AssetId}");
        return new AcceptedResult(statusUri, new AssetAccepted(request.AssetId, nameof(AssetStatus.Processing), statusUri));
    }

    private static ObjectResult TooLarge(long maxBytes) =>
        ApiResults.Problem(StatusCodes.Status413PayloadTooLarge, "Upload too large",
            $"The limit is {maxBytes} bytes ({maxBytes / (1024 * 1024)} MB).");
}
