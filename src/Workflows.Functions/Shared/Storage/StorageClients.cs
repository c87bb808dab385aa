using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;

namespace Workflows.Shared.Storage;

/// <summary>
/// Builds the app's blob, queue and table service clients from one <see cref="StorageConnection"/> through
/// <see cref="AzureComponentFactory"/>, the factory the Functions host and its storage extensions use: so
/// <c>__credential</c>/<c>__clientId</c> mean the same for the app's clients as for its triggers, and client options
/// and the default credential come from the usual <c>AddAzureClients</c> defaults. Like <c>AddAzureClients</c>, it
/// forwards the SDK's event-source logs to <c>ILogger</c> (categories <c>Azure.*</c>, filtered by the composition root).
/// </summary>
internal sealed class StorageClients
{
    private readonly StorageConnection connection;
    private readonly AzureComponentFactory factory;
    private readonly IConfigurationSection _section;
    private TokenCredential? _credential;

    public StorageClients(
        StorageConnection connection, IConfiguration configuration, AzureComponentFactory factory, AzureEventSourceLogForwarder logForwarder)
    {
        this.connection = connection;
        this.factory = factory;
        _section = configuration.GetSection(connection.Name);
        logForwarder.Start();
    }

    /// <summary>One credential (one token cache) for the three clients.</summary>
    private TokenCredential Credential => _credential ??= factory.CreateTokenCredential(_section);

    public BlobServiceClient Blobs()
    {
        var options = Options<BlobClientOptions>();
        return connection.ConnectionString is { } value
            ? new BlobServiceClient(value, options)
            : new BlobServiceClient(connection.BlobServiceUri, Credential, options);
    }

    public QueueServiceClient Queues()
    {
        var options = Options<QueueClientOptions>();
        options.MessageEncoding = QueueMessageEncoding.Base64; // what the Functions queue trigger expects by default
        return connection.ConnectionString is { } value
            ? new QueueServiceClient(value, options)
            : new QueueServiceClient(connection.QueueServiceUri, Credential, options);
    }

    public TableServiceClient Tables()
    {
        var options = Options<TableClientOptions>();
        return connection.ConnectionString is { } value
            ? new TableServiceClient(value, options)
            : new TableServiceClient(connection.TableServiceUri, Credential, options);
    }

    private TOptions Options<TOptions>() where TOptions : ClientOptions
    {
        var options = (TOptions)factory.CreateClientOptions(typeof(TOptions), null, _section);
        options.AddPolicy(new StorageCredentialPolicy(connection), HttpPipelinePosition.PerCall);
        return options;
    }
}
