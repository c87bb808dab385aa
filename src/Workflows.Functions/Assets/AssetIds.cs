using System.Security.Cryptography;
using System.Text;
using Azure;

namespace Workflows.Assets;

/// <summary>
/// Asset and instance ids derived from an upload blob's identity (container, name, ETag). Every starter — blob trigger,
/// HTTP upload, reconciliation sweep, poison handler — derives the same id for the same blob version, so a re-fire or a
/// late trigger can never process it twice, while a new upload under the same name (new ETag) is a new asset.
/// </summary>
public static class AssetIds
{
    private const string InstancePrefix = "asset-";

    /// <summary>32 lowercase hex characters: the first 128 bits of SHA-256 over the blob identity.</summary>
    public static string FromUpload(string container, string blobName, string etag)
    {
        ArgumentException.ThrowIfNullOrEmpty(container);
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        var identity = $"{container}\n{blobName}\n{NormalizeETag(etag)}";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(identity));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    public static string FromUpload(string container, string blobName, ETag etag) =>
        FromUpload(container, blobName, etag.ToString());

    /// <summary>The pipeline's instance id: 38 printable ASCII characters, well inside the 100-character limit.</summary>
    public static string InstanceId(string assetId) => InstancePrefix + assetId;

    /// <summary>True for ids this class produces; anything else (path segments, dots, odd characters) is rejected.</summary>
    public static bool IsValid(string? assetId) =>
        assetId is { Length: 32 } && assetId.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    /// <summary>The same blob version reports its ETag quoted (HTTP header form) or bare depending on the source.</summary>
    public static string NormalizeETag(string etag)
    {
        ArgumentException.ThrowIfNullOrEmpty(etag);
        var value = etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag;
        return value.Trim('"');
    }

    /// <summary>The quoted (header) form the storage service compares in If-Match conditions.</summary>
    public static ETag ToETag(string normalizedETag) => new($"\"{NormalizeETag(normalizedETag)}\"");
}
