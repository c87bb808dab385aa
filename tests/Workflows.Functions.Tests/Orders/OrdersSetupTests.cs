using System.Text.Json;
using Microsoft.Extensions.Options;
using Workflows.Orders;
using Workflows.Orders.Http;
using Workflows.Orders.Storage;
using Workflows.Shared;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Orders;

/// <summary>Bindings as the Functions host sees them, options validation, and the demo-data seeder.</summary>
public sealed class OrdersSetupTests
{
    [Fact]
    public void FunctionsMetadata_OrdersEndpoints_NeedKeysBackOfficeTheAdminKeyAndUseTheDocumentedRoutes()
    {
        // Arrange
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata")));
        var triggers = metadata.RootElement.EnumerateArray().ToDictionary(
            f => f.GetProperty("name").GetString()!,
            f => f.GetProperty("bindings").EnumerateArray().First(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal)));

        // Act
        string Http(string name) =>
            $"{triggers[name].GetProperty("authLevel").GetString()} {triggers[name].GetProperty("methods")[0].GetString()} {triggers[name].GetProperty("route").GetString()}";

        // Assert
        Assert.Equal("Function post orders", Http("StartOrder"));
        Assert.Equal("Function get orders/{orderId}", Http("GetOrder"));
        Assert.Equal("Function post orders/{orderId}/cancel", Http("CancelOrder"));
        Assert.Equal("Admin post orders/{orderId}/approve", Http("ApproveOrder"));
        Assert.Equal("Admin post orders/{orderId}/compensate", Http("CompensateOrder"));
        Assert.Equal("Admin post orders/{orderId}/resume", Http("ResumeOrder"));
        Assert.Equal("Admin post orders/demo-data", Http("SeedOrderDemoData"));
        Assert.Equal("%Orders:EventsQueue%", triggers["UpdateSalesView"].GetProperty("queueName").GetString());
        Assert.Equal("WorkflowsStorage", triggers["UpdateSalesView"].GetProperty("connection").GetString());
    }

    [Theory]
    [InlineData("Orders:TablePrefix", "bad-prefix")]
    [InlineData("Orders:EventsQueue", "Not_A_Queue")]
    [InlineData("Orders:PaymentRetry:MaxAttempts", "0")]
    [InlineData("Orders:ClaimCleanupMinAge", "00:09:59")]
    public async Task OrdersOptions_InvalidSetting_FailsOnStart(string key, string value)
    {
        // Act
        var error = await Record.ExceptionAsync(async () => await (await OrdersTestApp.StartAsync(s => s[key] = value)).DisposeAsync());

        // Assert
        Assert.IsType<OptionsValidationException>(error);
    }

    [Fact]
    public async Task Startup_OutsideDevelopmentWithTheLocalProviders_FailsNamingTheSetting()
    {
        // Act: a deployment that registered no real gateway or carrier.
        var error = await Record.ExceptionAsync(async () =>
            await (await OrdersTestApp.StartAsync(s => s[HostingEnvironment.Setting] = "Production")).DisposeAsync());

        // Assert
        Assert.IsType<InvalidOperationException>(error);
        Assert.Contains("Orders__EnableLocalProviders", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_OutsideDevelopmentWithRealProvidersOrLocalOnesEnabled_Starts()
    {
        // Act
        var enabled = await OrdersTestApp.StartAsync(s =>
        {
            s[HostingEnvironment.Setting] = "Production";
            s["Orders:EnableLocalProviders"] = "true";
        });
        var real = await OrdersTestApp.StartAsync(
            s => s[HostingEnvironment.Setting] = "Production",
            s => s.AddFake(new GatewayFake()).AddFake(new CarrierFake()));

        // Assert: both started (a fake stands in for a real provider: it is not the local one).
        await enabled.DisposeAsync();
        await real.DisposeAsync();
    }

    [Theory]
    [InlineData("Production", null, 404)]
    [InlineData("Production", "true", 200)]
    [InlineData("Development", null, 200)]
    public async Task SeedOrderDemoData_ByEnvironmentAndSetting_OnlyInDevelopmentOrWhenEnabled(string environment, string? enabled, int status)
    {
        // Arrange
        await using var orders = await OrdersTestApp.StartAsync(s =>
        {
            s[HostingEnvironment.Setting] = environment;
            s["Orders:EnableLocalProviders"] = "true";
            s["Orders:EnableDemoData"] = enabled;
        });
        var request = TestHttp.Request("POST", "/api/orders/demo-data");

        // Act
        var response = await (await orders.App.CreateFunction<DemoDataHttp>().SeedOrderDemoData(request)).ExecuteAsync(request);

        // Assert
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(status == 200, (await orders.Get<CatalogueStore>().FindAsync(["KB-100"], CancellationToken.None)).Count == 1);
    }

    [Fact]
    public async Task DemoData_SeededTwiceAfterAnOrder_KeepsStockAndAllowsTheDocumentedWalkThrough()
    {
        // Arrange
        await using var orders = await OrdersTestApp.StartAsync(s => s["Orders:ApprovalThreshold"] = "5000");
        var seeder = orders.Get<DemoData>();

        // Act
        var first = await seeder.SeedAsync(CancellationToken.None);
        var outcome = await orders.RunOrderAsync(OrderBody.Of(("KB-100", 1), ("MN-270", 4)));
        var second = await seeder.SeedAsync(CancellationToken.None);

        // Assert
        Assert.Equal(new DemoDataResult(6, 12, 0), first);
        Assert.Equal(new DemoDataResult(6, 0, 12), second);
        Assert.Equal(OrderStatus.Completed, outcome.Status);
        Assert.Equal(89.90m + (4 * 329.00m), outcome.Total);
        var monitors = await orders.Get<StockStore>().GetStockAsync("MN-270", CancellationToken.None);
        Assert.Equal(3, monitors.Sum(s => s.Available)); // 7 seeded, 4 sold, not reset by the second seeding
    }
}
