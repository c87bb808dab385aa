using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Workflows.Assets;
using Workflows.Observability;
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
    /// <summary>Category prefix of the Azure SDK's own log lines (<c>Azure.Core</c>, <c>Azure.Storage.Blobs</c>, …).</summary>
    public const string AzureSdkCategory = "Azure";

    public static IServiceCollection AddWorkflows(this IServiceCollection services, IConfiguration configuration)
    {
        // The Azure SDK logs every request and response at Information. Under the Functions host, worker logs arrive as
        // Function.<Name>.User, which host.json lets through at Information, so those lines would be half the log:
        // keep only the SDK's warnings and errors. The app's own categories (Workflows.*) are untouched.
        BindingSettings.EnsureConfigured(configuration);
        services.AddLogging(logging => logging.AddFilter(AzureSdkCategory, LogLevel.Warning));
        services.AddWorkflowsTelemetry(configuration);
        services.AddWorkflowsStorage(configuration);
        services.AddOrders(configuration);
        services.AddAssets(configuration);
        services.AddOperations(configuration);
        return services;
    }
}
