using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Workflows.Assets.Imaging.Magick;

namespace Workflows.Assets.Imaging;

/// <summary>
/// Registers the imaging core: options (section <c>Imaging</c> of the configuration it is given), one process-wide decode
/// limiter, ImageMagick's limits sized from the same options, inspector and renderer.
/// </summary>
public static class ImagingRegistration
{
    public static IServiceCollection AddImaging(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ImagingOptions>()
            .Bind(configuration.GetSection(ImagingOptions.SectionName))
            .PostConfigure<ILoggerFactory>((options, loggers) =>
            {
                foreach (string warning in options.UpgradeRenamedWidths())
                {
                    loggers.CreateLogger<ImagingOptions>().LogWarning("{Warning}", warning);
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp =>
        {
            ImagingOptions options = sp.GetRequiredService<IOptions<ImagingOptions>>().Value;
            ImageLimits limits = options.ToLimits();
            MagickRuntime.ApplyLimits(limits, options.MaxConcurrentDecodes); // process-wide, like the limits themselves
            return limits;
        });
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ImagingOptions>>().Value.ToProfile());
        services.AddSingleton(sp => new DecodeLimiter(sp.GetRequiredService<IOptions<ImagingOptions>>().Value.MaxConcurrentDecodes));
        services.AddSingleton<ImageInspector>();
        services.AddSingleton<RenditionRenderer>();
        return services;
    }
}
