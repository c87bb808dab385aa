using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Workflows.Assets;

public static class AssetsRegistration
{
    public static IServiceCollection AddAssets(this IServiceCollection services, IConfiguration configuration)
    {
        return services;
    }
}
