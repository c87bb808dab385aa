using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets.Imaging;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>
/// One profile in three places: the code's defaults (what Azure runs: infra/app/app-settings.json sets no Imaging
/// setting), local.settings.sample.json (what local runs and every test app start from) and
/// <see cref="RenditionProfile.Default"/> (what the bench's anchors and floor render).
/// </summary>
public sealed class ImagingDefaultsTests
{
    [Fact]
    public void ImagingProfile_SampleSettingsCodeDefaultsAndRenditionProfileDefault_AreTheSame()
    {
        // Arrange
        Dictionary<string, string?> sample = SampleSettings.Create("UseDevelopmentStorage=true", "hub")
            .Where(s => s.Key.StartsWith(ImagingOptions.SectionName + ":", StringComparison.OrdinalIgnoreCase))
            .ToDictionary();

        // Act
        ImagingOptions fromSample = Bind(sample);
        ImagingOptions fromCode = Bind([]);

        // Assert
        Assert.NotEmpty(sample);
        Assert.Equal(Describe(fromCode.ToProfile()), Describe(fromSample.ToProfile()));
        Assert.Equal(Describe(RenditionProfile.Default), Describe(fromCode.ToProfile()));
        Assert.Equal(
            (fromCode.MaxPixels, fromCode.MaxDimension, fromCode.MaxConcurrentDecodes),
            (fromSample.MaxPixels, fromSample.MaxDimension, fromSample.MaxConcurrentDecodes));
    }

    private static ImagingOptions Bind(Dictionary<string, string?> settings)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new ImagingOptions();
        configuration.GetSection(ImagingOptions.SectionName).Bind(options);
        return options;
    }

    private static string[] Describe(RenditionProfile profile) =>
        [.. profile.Chains.Select(c => $"{c.Format} q{c.Quality} {string.Join(',', c.Sizes.Select(s => s.Name))}")];
}
