using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Workflows.Orders.Payments;
using Workflows.Orders.Shipping;
using Workflows.Orders.Storage;

namespace Workflows.Orders;

public static class OrdersRegistration
{
    public static IServiceCollection AddOrders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OrdersOptions>()
            .BindConfiguration(OrdersOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<OrderTables>();
        services.AddSingleton<CatalogueStore>();
        services.AddSingleton<StockStore>();
        services.AddSingleton<PaymentLedger>();
        services.AddSingleton<ShipmentStore>();
        services.AddSingleton<OrderViewStore>();
        services.AddSingleton<OrderIndexStore>();
        services.AddSingleton<SalesViewStore>();
        services.AddSingleton<OrderEventPublisher>();
        services.AddSingleton<DemoData>();

        // Development providers; a production gateway or carrier replaces these registrations.
        services.TryAddSingleton<IPaymentProvider, LocalPaymentGateway>();
        services.TryAddSingleton<IShippingCarrier, LocalCarrier>();
        return services;
    }
}
