using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Workflows.Shared.Http;

/// <summary>
/// Reads a small JSON request body under a size cap: a larger one is refused by its Content-Length, or, without one
/// (chunked) or with one that lies, as soon as the count passes the cap. At most the cap is ever buffered.
/// </summary>
internal static class JsonRequestBody
{
    public const int MaxBytes = 256 * 1024;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The body as <typeparamref name="T"/>, or default when it is empty; <c>TooLarge</c> when over <see cref="MaxBytes"/>.
    /// Throws <see cref="JsonException"/> when it is not valid JSON for <typeparamref name="T"/>.
    /// </summary>
    public static async Task<(T? Value, bool TooLarge)> ReadAsync<T>(HttpRequest req, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(req);
        if (req.ContentLength > MaxBytes)
        {
            return (default, true);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await req.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return (default, true);
            }

            buffer.Write(chunk, 0, read);
        }

        var json = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        return json.Trim(" \t\r\n"u8).IsEmpty ? (default, false) : (JsonSerializer.Deserialize<T>(json, Json), false);
    }
}
