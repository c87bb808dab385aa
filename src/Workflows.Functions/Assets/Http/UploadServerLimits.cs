using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Workflows.Assets.Http;

/// <summary>
/// The request-body limit of the worker's own Kestrel (Functions ASP.NET Core integration), which the host forwards HTTP
/// requests to. ASP.NET Core's default, 30,000,000 bytes, is below <see cref="AssetOptions.MaxUploadBytes"/>: bigger
/// uploads would break inside <see cref="UploadAssetHttp"/> (500, or a dropped connection) instead of being accepted.
/// </summary>
internal static class UploadServerLimits
{
    public static IServiceCollection AddUploadServerLimits(this IServiceCollection services)
    {
        services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<AssetOptions>>((kestrel, assets) =>
                kestrel.Limits.MaxRequestBodySize = RequestBodyLimit(assets.Value.MaxUploadBytes));
        return services;
    }

    /// <summary>
    /// The upload limit plus headroom of the same size (at least 1 MiB). The endpoint enforces the upload limit itself
    /// while it streams (413 problem+json), so the server's limit must never trip first: Kestrel counts what it has
    /// buffered ahead of the endpoint's reads. And it lets Kestrel drain the rest of a moderately oversize body after that
    /// 413 instead of resetting the connection before the client has read the answer (the Functions front end stops
    /// bodies over 100 MB itself, which is twice the default limit).
    /// </summary>
    public static long RequestBodyLimit(long maxUploadBytes) => maxUploadBytes + Math.Max(maxUploadBytes, 1L << 20);
}
