using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Workflows.Assets.Storage;
using Workflows.Shared.Http;
using Workflows.Shared.Storage;

namespace Workflows.Assets.Http;

/// <summary>An asset in the list, with the URL of its smallest rendition (a thumbnail) once it is Ready.</summary>
public sealed record AssetListItem(
    string Id, string Status, string? OriginalName, string? ContentType, long? SizeBytes, int? Width, int? Height,
    DateTimeOffset UploadedAt, string? FailureReason, string? ThumbnailUrl, string Url);

public sealed class ListAssetsHttp(AssetStore store)
{
    public const int DefaultPageSize = 24;
    public const int MaxPageSize = 100;

    /// <summary>
    /// Lists assets newest upload first: <c>status</c> (comma-separated), <c>uploadedFrom</c> (inclusive),
    /// <c>uploadedTo</c> (exclusive), <c>name</c> (original-name prefix, any case), <c>contentType</c>,
    /// <c>pageSize</c> (1-100, default 24) and <c>continuationToken</c>.
    /// </summary>
    [Function(nameof(ListAssets))]
    public async Task<IActionResult> ListAssets(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "assets")] HttpRequest req,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(req);
        var query = new ListQuery(req);
        var statuses = query.Enums<AssetStatus>("status");
        var (from, to) = query.TimeRange("uploaded");
        var name = query.Text("name", n => n.Length <= 255 && !n.Any(char.IsControl), "must be at most 255 characters, without control characters");
        var contentType = query.Text("contentType", IsMediaType, "must be a media type such as image/jpeg");
        var pageSize = query.PageSize(DefaultPageSize, MaxPageSize);
        var after = query.Continuation(p => NewestFirstIndex.IsRowKey(p, AssetIds.IsValid));
        if (query.Problem() is { } problem)
        {
            return problem;
        }

        var (assets, next) = await store.ListAsync(new AssetListQuery(statuses, from, to, name, contentType, after, pageSize), ct);
        var items = assets.Select(a => ToItem(req, a.Record, a.ListedAt)).ToList();
        return new OkObjectResult(new ListPage<AssetListItem>(items, next is null ? null : ContinuationTokens.Encode(next)));
    }

    private static AssetListItem ToItem(HttpRequest req, AssetEntity record, DateTimeOffset listedAt)
    {
        var view = AssetView.From(record, ApiResults.Url(req, $"assets/{record.Id}"));
        return new AssetListItem(
            view.Id, view.Status, view.OriginalName, view.ContentType, view.SizeBytes, view.Width, view.Height,
            view.UploadedAt ?? listedAt, view.FailureReason, view.ThumbnailUrl, ApiResults.Url(req, $"assets/{record.Id}"));
    }

    private static bool IsMediaType(string value) =>
        value.Length <= 100 && value.Count(c => c == '/') == 1 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '+' or '-');
}
