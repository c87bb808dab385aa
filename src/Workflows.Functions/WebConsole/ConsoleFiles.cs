using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Workflows.WebConsole;

/// <summary>One file of the console, ready to serve.</summary>
internal sealed record ConsoleFile(byte[] Content, string ContentType, string ETag);

/// <summary>
/// The console's static files, embedded in the app assembly (<c>WebConsole/wwwroot</c>, resource names
/// <c>console/{path}</c>): served from memory, and only these names, so no request path ever reaches the file system.
/// </summary>
internal static class ConsoleFiles
{
    private const string Prefix = "console/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly Lazy<FrozenDictionary<string, ConsoleFile>> Files = new(Load);

    public static IReadOnlyCollection<string> Names => Files.Value.Keys;

    public static ConsoleFile? Find(string path) => Files.Value.GetValueOrDefault(path);

    private static FrozenDictionary<string, ConsoleFile> Load()
    {
        var assembly = typeof(ConsoleFiles).Assembly;
        Dictionary<string, ConsoleFile> files = new(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var name = resource[Prefix.Length..];
            var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 8))}\"";
            files[name] = new ConsoleFile(content, ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream"), etag);
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
