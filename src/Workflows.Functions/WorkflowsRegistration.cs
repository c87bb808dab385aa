using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets;
using Workflows.Operations;
using Workflows.Orders;
using Workflows.Shared;
using Workflows.Shared.Storage;

namespace Workflows;

/// <summary>
/// The one composition root: <c>Program.cs</c> and the test harness both call this, so tests run the app's own wiring.
/// </summary>
public static class WorkflowsRegistration
{
    public static IServiceCollection AddWorkflows(this IServiceCollection services, IConfiguration configuration)
    {
        BindingSettings.EnsureConfigured(configuration);
        services.AddWorkflowsStorage(configuration);
        services.AddOrders(configuration);
        services.AddAssets(configuration);
        services.AddOperations(configuration);
        return services;
    }
}
