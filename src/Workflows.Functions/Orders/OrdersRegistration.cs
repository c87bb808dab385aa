using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Workflows.Orders.Payments;
using Workflows.Orders.Shipping;
using Workflows.Orders.Storage;
using Workflows.Shared;
using Workflows.Shared.Storage;

namespace Workflows.Orders;

public static class OrdersRegistration
{
    /// <summary>The order saga: options (section <c>Orders</c> of <paramref name="configuration"/>), storage and providers.</summary>
    public static IServiceCollection AddOrders(this IServiceCollection services, IConfiguration configuration)
    {
        var isDevelopment = HostingEnvironment.IsDevelopment(configuration);
        services.AddOptions<OrdersOptions>()
            .Bind(configuration.GetSection(OrdersOptions.Section))
            .PostConfigure(o =>
            {
                o.EnableLocalProviders |= isDevelopment;
                o.EnableDemoData |= isDevelopment;
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddProvisionedStorage<OrderTables>();
        services.AddSingleton<CatalogueStore>();
        services.AddSingleton<StockStore>();
        services.AddSingleton<PaymentLedger>();
        services.AddSingleton<ShipmentStore>();
        services.AddSingleton<OrderViewStore>();
        services.AddSingleton<OrderIndexStore>();
        services.AddSingleton<SalesViewStore>();
        services.AddProvisionedStorage<OrderEventPublisher>();
        services.AddSingleton<DemoData>();
        services.AddSingleton<IInstancePurgeHook, ReservationClaimCleanup>();

        // Demo stand-ins; a production gateway or carrier replaces these registrations (LocalProvidersGuard checks).
        services.AddSingleton<LocalPaymentGateway>();
        services.AddSingleton<LocalCarrier>();
        services.TryAddSingleton<IPaymentProvider>(sp => sp.GetRequiredService<LocalPaymentGateway>());
        services.TryAddSingleton<IShippingCarrier>(sp => sp.GetRequiredService<LocalCarrier>());
        services.AddHostedService<LocalProvidersGuard>();
        return services;
    }
}
