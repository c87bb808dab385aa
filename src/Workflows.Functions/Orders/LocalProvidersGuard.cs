using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Workflows.Orders.Payments;
using Workflows.Orders.Shipping;

namespace Workflows.Orders;

/// <summary>
/// Stops the worker at start-up when orders would be charged or shipped by the local stand-ins outside Development
/// without <c>Orders:EnableLocalProviders</c>: a production app must register a real gateway and carrier.
/// </summary>
internal sealed class LocalProvidersGuard(IPaymentProvider payments, IShippingCarrier carrier, IOptions<OrdersOptions> options)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        List<string> local = [];
        if (payments is LocalPaymentGateway)
        {
            local.Add("payment gateway");
        }

        if (carrier is LocalCarrier)
        {
            local.Add("carrier");
        }

        if (local.Count > 0 && !options.Value.EnableLocalProviders)
        {
            throw new InvalidOperationException(
                $"The local demo {string.Join(" and ", local)} would serve orders outside Development: register real ones, " +
                "or set 'Orders__EnableLocalProviders' to true for a demo (AZURE_FUNCTIONS_ENVIRONMENT is not 'Development').");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
