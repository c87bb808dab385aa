using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Workflows.Shared.Http;

/// <summary>
/// Who called a back-office endpoint, for the record: the user App Service authentication signed in (the platform sets
/// <c>x-ms-client-principal</c>, base64 JSON, and strips any a client sends), else <c>admin-key</c>, since these
/// endpoints need the admin key. A body never says who acted. The header is read only when the platform says its
/// authentication is on (<c>WEBSITE_AUTH_ENABLED</c>): without it nothing strips the header, and anyone could write it.
/// </summary>
internal static class CallerIdentity
{
    public const string PrincipalHeader = "x-ms-client-principal";
    public const string AdminKey = "admin-key";

    /// <summary>Set to <c>True</c> by App Service when its authentication (Easy Auth) is enabled for the app.</summary>
    public const string AuthEnabledSetting = "WEBSITE_AUTH_ENABLED";
    private const int MaxLength = 100;

    // Claims that name a user, best first, after the provider's own name claim type (name_typ).
    private static readonly string[] NameClaims =
    [
        "preferred_username", "name", "email",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    ];

    public static string Of(HttpRequest req, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(req);
        ArgumentNullException.ThrowIfNull(configuration);
        string? header = req.Headers[PrincipalHeader];
        return string.IsNullOrEmpty(header) || !IsPlatformAuthenticationOn(configuration) ? AdminKey : NameIn(header) ?? AdminKey;
    }

    private static bool IsPlatformAuthenticationOn(IConfiguration configuration) =>
        bool.TryParse(configuration[AuthEnabledSetting], out var on) && on;

    private static string? NameIn(string header)
    {
        try
        {
            using var principal = JsonDocument.Parse(Convert.FromBase64String(header));
            var root = principal.RootElement;
            var nameType = root.TryGetProperty("name_typ", out var type) ? type.GetString() : null;
            var claims = root.GetProperty("claims").EnumerateArray()
                .Select(c => (Type: c.GetProperty("typ").GetString(), Value: c.GetProperty("val").GetString()))
                .Where(c => !string.IsNullOrWhiteSpace(c.Value))
                .ToList();
            var name = NameClaims.Prepend(nameType)
                .Select(t => claims.FirstOrDefault(c => c.Type == t).Value)
                .FirstOrDefault(v => v is not null);
            return name is { Length: > MaxLength } ? name[..MaxLength] : name;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null; // not a principal the platform wrote
        }
    }
}
