using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;

namespace Workflows.Shared.Storage;

/// <summary>
/// Short-lived, read-only links to one blob. With an account key (connection string) the app signs a service SAS; with
/// an identity there is no key, so it signs a user-delegation SAS with a delegation key it asks the account for (Storage
/// Blob Data Owner or Contributor may) and reuses until shortly before that key expires. HTTPS-only wherever the
/// account is reached over HTTPS (always in Azure; the local emulator may be plain HTTP).
/// </summary>
public sealed class BlobReadLinks(BlobServiceClient service)
{
    private static readonly TimeSpan KeyLifetime = TimeSpan.FromHours(6);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private Task<UserDelegationKey>? _key;

    public async Task<Uri> ReadUriAsync(BlobClient blob, TimeSpan lifetime, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var now = DateTimeOffset.UtcNow;
        var sas = new BlobSasBuilder(BlobSasPermissions.Read, now + lifetime)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            StartsOn = now - ClockSkew,
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };
        if (blob.CanGenerateSasUri)
        {
            return blob.GenerateSasUri(sas);
        }

        var key = await DelegationKeyAsync(sas.ExpiresOn, ct);
        return new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key, service.AccountName) }.ToUri();
    }

    /// <summary>A delegation key valid past <paramref name="until"/>: the cached one, or a new one (a failed fetch is not kept).</summary>
    private Task<UserDelegationKey> DelegationKeyAsync(DateTimeOffset until, CancellationToken ct)
    {
        var key = _key;
        if (key is null || key.IsFaulted || key.IsCanceled || (key.IsCompletedSuccessfully && key.Result.SignedExpiresOn <= until))
        {
            _key = key = FetchKeyAsync();
        }

        return key.WaitAsync(ct);
    }

    private async Task<UserDelegationKey> FetchKeyAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var options = new BlobGetUserDelegationKeyOptions(now + KeyLifetime) { StartsOn = now - ClockSkew };
        return (await service.GetUserDelegationKeyAsync(options)).Value;
    }
}
