using Microsoft.Extensions.Configuration;

namespace Workflows.Shared.Storage;

/// <summary>
/// A storage connection app setting, read by the rules the Functions host applies to trigger connections: either a
/// connection string (<c>Name</c>), or an identity-based connection with service URIs (<c>Name__blobServiceUri</c>,
/// <c>Name__queueServiceUri</c>, <c>Name__tableServiceUri</c>, or <c>Name__accountName</c> for all three) and optional
/// <c>Name__credential</c> / <c>Name__clientId</c>, which <see cref="StorageClients"/> turn into a token credential.
/// </summary>
public sealed record StorageConnection(string Name, string? ConnectionString, Uri? BlobServiceUri, Uri? QueueServiceUri, Uri? TableServiceUri)
{
    public bool UsesIdentity => ConnectionString is null;

    /// <summary>Reads <paramref name="name"/>; a missing or malformed setting throws, naming it.</summary>
    public static StorageConnection Read(IConfiguration configuration, string name)
    {
        var section = configuration.GetSection(name);
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return new StorageConnection(name, section.Value, null, null, null);
        }

        if (!section.GetChildren().Any())
        {
            throw new InvalidOperationException(
                $"App setting '{name}' is missing: set it to a storage connection string (UseDevelopmentStorage=true for " +
                $"Azurite), or, for a managed identity, set '{name}__blobServiceUri', '{name}__queueServiceUri' and " +
                $"'{name}__tableServiceUri' (plus '{name}__credential' = managedidentity and '{name}__clientId' for a " +
                "user-assigned identity).");
        }

        return new StorageConnection(
            name,
            null,
            ServiceUri(section, name, "blob", "blobServiceUri", "serviceUri"),
            ServiceUri(section, name, "queue", "queueServiceUri"),
            ServiceUri(section, name, "table", "tableServiceUri"));
    }

    /// <summary>The app setting a user sets for <paramref name="key"/> of this connection, e.g. <c>WorkflowsStorage__clientId</c>.</summary>
    public string Setting(string key) => $"{Name}__{key}";

    private static Uri ServiceUri(IConfigurationSection section, string name, string service, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (section[key] is { Length: > 0 } value)
            {
                return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
                    ? uri
                    : throw new InvalidOperationException($"App setting '{name}__{key}' must be an absolute https URI; it is '{value}'.");
            }
        }

        // The host's shorthand: the account name stands for the public-cloud endpoints of all three services.
        if (section["accountName"] is { Length: > 0 } account)
        {
            return new Uri($"https://{account}.{service}.core.windows.net");
        }

        throw new InvalidOperationException(
            $"App setting '{name}__{keys[0]}' is missing: '{name}' is an identity-based connection (it has " +
            $"{string.Join(", ", section.GetChildren().Select(c => $"'{name}__{c.Key}'"))}), and the app's own blob, queue " +
            $"and table clients need '{name}__blobServiceUri', '{name}__queueServiceUri' and '{name}__tableServiceUri' " +
            $"(or '{name}__accountName').");
    }
}
