using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Workflows.Assets.Imaging;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets.Imaging;

public sealed class ImagingOptionsTests
{
    [Fact]
    public void AddImaging_NoSettings_DefaultProfileLimitsAndTwoDecodeSlots()
    {
        // Arrange
        using ServiceProvider services = Build([]);

        // Act
        RenditionProfile profile = services.GetRequiredService<RenditionProfile>();
        ImageLimits limits = services.GetRequiredService<ImageLimits>();
        DecodeLimiter limiter = services.GetRequiredService<DecodeLimiter>();

        // Assert
        Assert.Equal(["jpeg-1600", "jpeg-800", "jpeg-200", "webp-1600", "webp-800", "webp-200"], profile.RenditionNames());
        Assert.Equal([(RenditionFormat.Jpeg, 80), (RenditionFormat.Webp, 83)], profile.Chains.Select(c => (c.Format, c.Quality)));
        Assert.Equal(new ImageLimits(100_000_000, 20_000), limits);
        Assert.Equal(2, limiter.MaxConcurrentDecodes);
        Assert.NotNull(services.GetRequiredService<ImageInspector>());
        Assert.NotNull(services.GetRequiredService<RenditionRenderer>());
    }

    [Fact]
    public void AddImaging_SizesConfigured_ReplaceTheDefaultsAndEmptyTurnsAFormatOff()
    {
        // Arrange
        using ServiceProvider services = Build(new()
        {
            ["Imaging:JpegSizes"] = "w1200, 400x300, 300",
            ["Imaging:JpegQuality"] = "70",
            ["Imaging:WebpSizes"] = "",
            ["Imaging:MaxPixels"] = "50000000",
            ["Imaging:MaxConcurrentDecodes"] = "1",
        });

        // Act
        RenditionProfile profile = services.GetRequiredService<RenditionProfile>();

        // Assert
        RenditionChain chain = Assert.Single(profile.Chains);
        Assert.Equal((RenditionFormat.Jpeg, 70), (chain.Format, chain.Quality));
        Assert.Equal(
            [new RenditionSize(RenditionFit.Width, 1200), new RenditionSize(RenditionFit.Box, 400, 300), RenditionSize.LongestEdge(300)],
            chain.Sizes);
        Assert.Equal(["jpeg-1200", "jpeg-400x300", "jpeg-300"], profile.RenditionNames());
        Assert.Equal(50_000_000, services.GetRequiredService<ImageLimits>().MaxPixels);
        Assert.Equal(1, services.GetRequiredService<DecodeLimiter>().MaxConcurrentDecodes);
    }

    [Theory]
    [InlineData("Imaging:JpegSizes", "800,1600")]
    [InlineData("Imaging:JpegSizes", "1600,wide")]
    [InlineData("Imaging:WebpSizes", "1600,w1600")]
    [InlineData("Imaging:AvifSizes", "0x200")]
    [InlineData("Imaging:JpegQuality", "0")]
    [InlineData("Imaging:MaxConcurrentDecodes", "0")]
    public void AddImaging_InvalidSetting_FailsValidation(string key, string value)
    {
        // Arrange
        using ServiceProvider services = Build(new() { [key] = value });

        // Act
        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ImagingOptions>>().Value);

        // Assert
        Assert.NotEmpty(ex.Failures);
    }

    [Fact]
    public void AddImaging_RenamedWidthSettings_ReadAsWidthFitsUnderTheSameNamesWithAWarning()
    {
        // Arrange: an app configured before fits, as its settings were then.
        var logs = new LogCapture();
        using ServiceProvider services = Build(new() { ["Imaging:JpegWidths"] = "1600, 800,200", ["Imaging:WebpWidths"] = "" }, logs);

        // Act
        RenditionProfile profile = services.GetRequiredService<RenditionProfile>();

        // Assert: widths, as they were (a portrait 200 stays 200 wide), the old names, WebP still off; one warning each.
        RenditionChain jpeg = Assert.Single(profile.Chains);
        Assert.Equal([RenditionFormat.Jpeg], profile.Chains.Select(c => c.Format));
        Assert.All(jpeg.Sizes, size => Assert.Equal(RenditionFit.Width, size.Fit));
        Assert.Equal(["jpeg-1600", "jpeg-800", "jpeg-200"], profile.RenditionNames());
        var warnings = logs.Lines.Where(l => l.Level == LogLevel.Warning && l.Category == typeof(ImagingOptions).FullName).Select(l => l.Message).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("Imaging__JpegSizes to \"w1600,w800,w200\"", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("Imaging__WebpSizes to \"\"", StringComparison.Ordinal));
    }

    [Fact]
    public void AddImaging_RenamedAndNewSizeSettingsBothSet_FailsValidationNamingBoth()
    {
        // Arrange
        using ServiceProvider services = Build(new() { ["Imaging:JpegWidths"] = "1600", ["Imaging:JpegSizes"] = "w1600" });

        // Act
        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ImagingOptions>>().Value);

        // Assert
        Assert.Contains(ex.Failures, f => f.Contains("JpegWidths", StringComparison.Ordinal) && f.Contains("JpegSizes", StringComparison.Ordinal));
    }

    [Fact]
    public void AddImaging_Defaults_LongestEdgeJpegAndWebpWithoutAvif()
    {
        // Arrange
        using ServiceProvider services = Build([]);

        // Act
        RenditionProfile profile = services.GetRequiredService<RenditionProfile>();

        // Assert
        Assert.Equal([RenditionFormat.Jpeg, RenditionFormat.Webp], profile.Chains.Select(c => c.Format));
        Assert.All(profile.Chains, c => Assert.Equal(RenditionProfile.DefaultSizes, c.Sizes));
        Assert.Equal(["jpeg-1600", "jpeg-800", "jpeg-200", "webp-1600", "webp-800", "webp-200"], profile.RenditionNames());
    }

    [Fact]
    public void RenditionProfile_JsonRoundTrip_KeepsEveryChain()
    {
        // Arrange: the orchestrator receives the profile in its input.
        RenditionProfile profile = RenditionProfile.Default;

        // Act
        string json = System.Text.Json.JsonSerializer.Serialize(profile);
        RenditionProfile back = System.Text.Json.JsonSerializer.Deserialize<RenditionProfile>(json)!;

        // Assert
        Assert.Equal(profile.RenditionNames(), back.RenditionNames());
        Assert.Equal(profile.Chains.Select(c => (c.Format, c.Quality)), back.Chains.Select(c => (c.Format, c.Quality)));
        Assert.Equal(profile.Chains.SelectMany(c => c.Sizes), back.Chains.SelectMany(c => c.Sizes));
    }

    [Fact]
    public void RenditionChain_PayloadFromBeforeFits_ReadAsWidths()
    {
        // Arrange: what an instance in flight across the upgrade has in its history.
        const string recorded = """{"Format":1,"Quality":80,"Widths":[1600,800,200]}""";

        // Act
        RenditionChain chain = System.Text.Json.JsonSerializer.Deserialize<RenditionChain>(recorded)!;

        // Assert
        Assert.Equal((RenditionFormat.Webp, 80), (chain.Format, chain.Quality));
        Assert.Equal(["w1600", "w800", "w200"], chain.Sizes.Select(s => s.ToString()));
        Assert.DoesNotContain("Widths", System.Text.Json.JsonSerializer.Serialize(chain), StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, LogCapture? logs = null)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        logs?.AddTo(services);
        services.AddSingleton(configuration);
        services.AddImaging(configuration);
        return services.BuildServiceProvider();
    }
}
