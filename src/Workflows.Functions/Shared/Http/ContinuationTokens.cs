using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Workflows.Shared.Http;

/// <summary>
/// Opaque continuation tokens for the list endpoints: a position (a table row key, or the task hub's own token)
/// behind base64url, with a short checksum so a token that was cut or edited is a 400, never a storage error.
/// Not a secret: it names a position in a list the caller may read anyway.
/// </summary>
internal static class ContinuationTokens
{
    private const int ChecksumBytes = 6;
    private const int MaxTokenLength = 4096;

    public static string Encode(string position)
    {
        var payload = Encoding.UTF8.GetBytes(position);
        var token = new byte[ChecksumBytes + payload.Length];
        SHA256.HashData(payload).AsSpan(0, ChecksumBytes).CopyTo(token);
        payload.CopyTo(token, ChecksumBytes);
        return Base64Url.EncodeToString(token);
    }

    public static bool TryDecode(string token, out string position)
    {
        position = string.Empty;
        if (token.Length is 0 or > MaxTokenLength || !Base64Url.IsValid(token))
        {
            return false;
        }

        var bytes = Base64Url.DecodeFromChars(token);
        if (bytes.Length <= ChecksumBytes
            || !SHA256.HashData(bytes.AsSpan(ChecksumBytes)).AsSpan(0, ChecksumBytes).SequenceEqual(bytes.AsSpan(0, ChecksumBytes)))
        {
            return false;
        }

        position = Encoding.UTF8.GetString(bytes, ChecksumBytes, bytes.Length - ChecksumBytes);
        return true;
    }
}
