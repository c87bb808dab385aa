using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets.Imaging;
using Workflows.Assets.Storage;
using Workflows.Assets.Uploads;

namespace Workflows.Assets;

public static class AssetsRegistration
{
    /// <summary>The asset pipeline: options (section <c>Assets</c>), imaging core, storage and the pipeline starter.</summary>
    public static IServiceCollection AddAssets(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AssetOptions>()
            .Bind(configuration.GetSection(AssetOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddImaging(configuration);
        services.AddSingleton<IAssetImaging, AssetImaging>();
        services.AddSingleton<AssetStore>();
        services.AddSingleton<AssetStarter>();
        return services;
    }
}
