using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workflows.Assets;
using Workflows.Assets.Imaging;
using Workflows.Orders;
using Workflows.Shared;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Shared;

/// <summary>Configuration that cannot silently diverge between the host (binding expressions) and the worker (options).</summary>
public sealed partial class ConfigurationTests
{
    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex BindingExpression();

    [Fact]
    public void BindingSettings_FromTheFunctionAttributes_AreEveryExpressionTheHostIndexes()
    {
        // Arrange: what the host will resolve, from the build's functions.metadata.
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata")));
        var indexed = BindingExpression().Matches(metadata.RootElement.GetRawText()).Select(m => m.Groups[1].Value).Distinct().Order();

        // Act
        var found = BindingSettings.UsedBy(FunctionCatalog.AppAssembly);

        // Assert
        Assert.Equal(indexed, found.Keys.Order());
        Assert.Equal(["UpdateSalesView"], found["Orders:EventsQueue"]);
    }

    [Theory]
    [InlineData("Orders:EventsQueue", "Orders__EventsQueue")]
    [InlineData("Assets:UploadsContainer", "Assets__UploadsContainer")]
    public async Task Startup_SettingOfABindingExpressionMissing_FailsNamingIt(string key, string appSetting)
    {
        // Act: the options have a code default for it, which the host's trigger would never see.
        var error = await Record.ExceptionAsync(async () => await (await TestApp.StartAsync(s => s.Remove(key))).DisposeAsync());

        // Assert
        Assert.IsType<InvalidOperationException>(error);
        Assert.Contains(appSetting, error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string, Func<IServiceProvider, string>> Registrations => new()
    {
        { "AddOrders", "Orders:EventsQueue", "given-queue", sp => sp.GetRequiredService<IOptions<OrdersOptions>>().Value.EventsQueue },
        { "AddAssets", "Assets:ReadyQueue", "given-queue", sp => sp.GetRequiredService<IOptions<AssetOptions>>().Value.ReadyQueue },
        { "AddImaging", "Imaging:JpegQuality", "55", sp => $"{sp.GetRequiredService<IOptions<ImagingOptions>>().Value.JpegQuality}" },
    };

    [Theory]
    [MemberData(nameof(Registrations))]
    public void Registration_GivenAConfiguration_BindsFromItNotFromTheContainer(
        string registration, string key, string value, Func<IServiceProvider, string> read)
    {
        // Arrange: the container holds another configuration than the one the registration is given.
        var given = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());

        // Act
        _ = registration switch
        {
            "AddOrders" => services.AddOrders(given),
            "AddAssets" => services.AddAssets(given),
            _ => services.AddImaging(given),
        };
        using var provider = services.BuildServiceProvider();

        // Assert
        Assert.Equal(value, read(provider));
    }
}
