using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Workflows.Assets.Http;
using Workflows.Assets.Imaging;
using Workflows.Assets.Storage;
using Workflows.Assets.Uploads;
using Workflows.Shared.Storage;

namespace Workflows.Assets;

public static class AssetsRegistration
{
    /// <summary>
    /// The asset pipeline: options (section <c>Assets</c>), the worker's request-body limit for uploads, imaging core,
    /// storage and the pipeline starter.
    /// </summary>
    public static IServiceCollection AddAssets(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AssetOptions>()
            .Bind(configuration.GetSection(AssetOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddUploadServerLimits();
        services.AddImaging(configuration);
        services.AddSingleton<IAssetImaging, AssetImaging>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddProvisionedStorage<AssetStore>();
        services.AddSingleton<AssetStarter>();
        services.AddSingleton<OrphanRenditionSweep>();
        return services;
    }
}
