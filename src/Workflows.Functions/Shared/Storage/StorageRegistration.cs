using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Workflows.Shared.Storage;

public static class StorageRegistration
{
    /// <summary>
    /// The app setting (connection string, or <c>__serviceUri</c> keys for managed identity) that holds the app's own data:
    /// the blob, queue and table clients and the blob/queue trigger bindings all read it.
    /// </summary>
    public const string ConnectionName = "WorkflowsStorage";

    public static IServiceCollection AddWorkflowsStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ConnectionName);
        if (!section.Exists())
        {
            throw new InvalidOperationException(
                $"App setting '{ConnectionName}' is missing: set it to a storage connection string " +
                "(UseDevelopmentStorage=true for Azurite) or to '{ConnectionName}__serviceUri' for managed identity.");
        }

        services.AddAzureClients(clients =>
        {
            clients.AddBlobServiceClient(section);
            clients.AddTableServiceClient(section);
            // The Functions queue trigger expects Base64 message bodies by default.
            clients.AddQueueServiceClient(section)
                .ConfigureOptions(options => options.MessageEncoding = QueueMessageEncoding.Base64);
        });
        services.AddHostedService<StorageProvisioning>();
        return services;
    }
}
