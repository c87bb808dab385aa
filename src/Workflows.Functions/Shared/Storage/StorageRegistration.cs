using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Workflows.Shared.Storage;

public static class StorageRegistration
{
    /// <summary>
    /// The app setting that holds the app's own data: the blob, queue and table clients and the blob/queue trigger
    /// bindings all read it, as a connection string or as identity-based service URIs (see <see cref="StorageConnection"/>).
    /// </summary>
    public const string ConnectionName = "WorkflowsStorage";

    /// <summary>Registers the three storage clients; a missing or incomplete setting fails start-up here, naming it.</summary>
    public static IServiceCollection AddWorkflowsStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var connection = StorageConnection.Read(configuration, ConnectionName);
        services.AddAzureClientsCore();
        services.AddSingleton(connection);
        services.AddSingleton(provider => ActivatorUtilities.CreateInstance<StorageClients>(provider, connection, configuration));
        services.AddSingleton<BlobServiceClient>(provider => provider.GetRequiredService<StorageClients>().Blobs());
        services.AddSingleton<QueueServiceClient>(provider => provider.GetRequiredService<StorageClients>().Queues());
        services.AddSingleton<TableServiceClient>(provider => provider.GetRequiredService<StorageClients>().Tables());
        services.AddSingleton<BlobReadLinks>();
        services.AddHostedService<StorageProvisioning>();
        return services;
    }
}
