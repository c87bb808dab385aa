using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Workflows.Assets.Imaging;

/// <summary>
/// Registers the imaging core: options (section <c>Imaging</c> of the configuration it is given), one process-wide decode
/// limiter, inspector and renderer.
/// </summary>
public static class ImagingRegistration
{
    public static IServiceCollection AddImaging(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ImagingOptions>()
            .Bind(configuration.GetSection(ImagingOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ImagingOptions>>().Value.ToLimits());
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ImagingOptions>>().Value.ToProfile());
        services.AddSingleton(sp => new DecodeLimiter(sp.GetRequiredService<IOptions<ImagingOptions>>().Value.MaxConcurrentDecodes));
        services.AddSingleton<ImageInspector>();
        services.AddSingleton<RenditionRenderer>();
        return services;
    }
}
