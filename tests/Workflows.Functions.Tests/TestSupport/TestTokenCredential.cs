using System.Text;
using System.Text.Json;
using Azure.Core;

namespace Workflows.Tests.TestSupport;

/// <summary>
/// Mints bearer tokens the way Entra ID shapes them for storage (audience <c>https://storage.azure.com</c>, a
/// <c>sts.windows.net</c> issuer, object and tenant ids, <c>nbf</c>/<c>exp</c>). Azurite's <c>--oauth basic</c> checks
/// those claims but not the signature. <see cref="WrongAudience"/> stands for a misconfigured identity: the token is
/// well-formed but meant for another resource, and storage refuses it (403 AuthenticationFailed).
/// </summary>
public sealed class TestTokenCredential(string audience = "https://storage.azure.com") : TokenCredential
{
    private const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    public static TestTokenCredential WrongAudience() => new("https://vault.azure.net");

    private int _tokensIssued;

    public int TokensIssued => _tokensIssued;

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _tokensIssued);
        var now = DateTimeOffset.UtcNow;
        var expires = now.AddHours(1);
        var header = Encode(new { alg = "RS256", typ = "JWT" });
        var payload = Encode(new Dictionary<string, object>
        {
            ["aud"] = audience,
            ["iss"] = $"https://sts.windows.net/{TenantId}/",
            ["nbf"] = now.AddMinutes(-5).ToUnixTimeSeconds(),
            ["iat"] = now.AddMinutes(-5).ToUnixTimeSeconds(),
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["oid"] = "0b1f3c6e-7d0a-4a59-9a3f-5c1d2e3f4a5b",
            ["tid"] = TenantId,
        });
        return new AccessToken($"{header}.{payload}.{Encode("unsigned")}", expires);
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));

    private static string Encode(object value) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
