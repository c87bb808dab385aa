using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;

namespace Workflows.Tests.TestSupport;

/// <summary>
/// A second Azurite that accepts only OAuth bearer tokens over HTTPS (<c>--oauth basic</c>), as an account with
/// shared-key access disabled does, with a throw-away self-signed certificate made here. Only the clients built from
/// <see cref="Transport"/> trust that certificate (nothing machine-wide), and <see cref="TestTokenCredential"/> mints
/// the tokens Azurite accepts. One per test process, started on first use.
/// </summary>
public sealed class OAuthAzurite
{
    private static readonly Lazy<Task<OAuthAzurite>> Instance = new(StartAsync);
    private readonly X509Certificate2 _certificate;

    private OAuthAzurite(int[] ports, X509Certificate2 certificate)
    {
        _certificate = certificate;
        BlobServiceUri = new Uri($"https://127.0.0.1:{ports[0]}/{Azurite.Account}");
        QueueServiceUri = new Uri($"https://127.0.0.1:{ports[1]}/{Azurite.Account}");
        TableServiceUri = new Uri($"https://127.0.0.1:{ports[2]}/{Azurite.Account}");
    }

    public Uri BlobServiceUri { get; }

    public Uri QueueServiceUri { get; }

    public Uri TableServiceUri { get; }

    /// <summary>An HTTP transport that trusts this emulator's certificate (and no other self-signed one).</summary>
    public HttpPipelineTransport Transport => new HttpClientTransport(CreateHandler());

    /// <summary>A handler for plain HTTP clients (e.g. following a SAS link) that trusts this emulator's certificate.</summary>
    public HttpMessageHandler CreateHandler() => new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None || certificate?.GetCertHashString() == _certificate.GetCertHashString(),
        },
    };

    public static Task<OAuthAzurite> GetAsync() => Instance.Value;

    /// <summary>Turns <c>WorkflowsStorage</c> (and <c>AzureWebJobsStorage</c>) into identity-based settings for this emulator.</summary>
    public void UseIdentitySettings(IDictionary<string, string?> settings)
    {
        foreach (var name in (string[])["WorkflowsStorage", "AzureWebJobsStorage"])
        {
            settings.Remove(name);
            settings[$"{name}:blobServiceUri"] = BlobServiceUri.ToString();
            settings[$"{name}:queueServiceUri"] = QueueServiceUri.ToString();
            settings[$"{name}:tableServiceUri"] = TableServiceUri.ToString();
        }
    }

    /// <summary>What the platform supplies in Azure: the default credential (here <paramref name="credential"/>) and a
    /// transport; both through the standard <c>AddAzureClients</c> defaults the app's client factory applies.</summary>
    public void UseCredential(IServiceCollection services, TokenCredential credential) =>
        services.AddAzureClients(clients =>
        {
            clients.UseCredential(credential);
            clients.ConfigureDefaults(options =>
            {
                options.Transport = Transport;
                options.Retry.MaxRetries = 1;
            });
        });

    /// <summary>The durable backend's clients on this emulator with <paramref name="credential"/> (the host's AzureWebJobsStorage).</summary>
    public StorageAccountClientProvider TaskHubClients(TokenCredential credential) => new(
        StorageServiceClientProvider.ForBlob(BlobServiceUri, credential, new BlobClientOptions { Transport = Transport }),
        StorageServiceClientProvider.ForQueue(QueueServiceUri, credential, new QueueClientOptions { Transport = Transport }),
        StorageServiceClientProvider.ForTable(TableServiceUri, credential, new TableClientOptions { Transport = Transport }));

    private static async Task<OAuthAzurite> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("azurite-oauth-");
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        var certPath = Path.Combine(folder.FullName, "cert.pem");
        var keyPath = Path.Combine(folder.FullName, "key.pem");
        await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());

        var (ports, _) = await Azurite.StartOnFreePortsAsync("--oauth", "basic", "--cert", certPath, "--key", keyPath);
        return new OAuthAzurite(ports, certificate);
    }
}
