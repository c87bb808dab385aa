using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Workflows.Tests.TestSupport;

/// <summary>
/// Calls HTTP functions the way the Functions ASP.NET Core integration does: a real <see cref="HttpRequest"/> in,
/// and the returned <see cref="IActionResult"/> executed by MVC's own result executors (content negotiation,
/// problem-details content type, JSON web defaults) into a captured response.
/// </summary>
public static class TestHttp
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    // What the Functions worker's ASP.NET Core integration resolves result executors and JSON options from.
    private static readonly Lazy<IServiceProvider> MvcServices = new(() =>
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddMvcCore();
        return services.BuildServiceProvider();
    });

    /// <summary>A request with an optional JSON body; <paramref name="path"/> may carry a query string.</summary>
    public static HttpRequest Request(string method, string path, object? json = null, IDictionary<string, string>? headers = null)
    {
        if (json is null)
        {
            return Create(method, path, body: null, contentType: null, headers);
        }

        var body = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(json, json.GetType(), Web));
        return Create(method, path, body, "application/json; charset=utf-8", headers);
    }

    /// <summary>A request with a raw body (e.g. malformed JSON, or another media type).</summary>
    public static HttpRequest Request(string method, string path, Stream body, string contentType, IDictionary<string, string>? headers = null) =>
        Create(method, path, body, contentType, headers);

    /// <summary>Executes <paramref name="result"/> the way ASP.NET Core does and captures the response.</summary>
    public static async Task<TestHttpResponse> ExecuteAsync(this IActionResult result, HttpRequest request)
    {
        var context = request.HttpContext;
        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));

        var response = context.Response;
        var body = ((MemoryStream)response.Body).ToArray();
        return new TestHttpResponse(response.StatusCode, response.Headers, response.ContentType, body);
    }

    private static HttpRequest Create(string method, string path, Stream? body, string? contentType, IDictionary<string, string>? headers)
    {
        var context = new DefaultHttpContext { RequestServices = MvcServices.Value };
        var request = context.Request;
        request.Method = method;
        request.Scheme = "http";
        request.Host = new HostString("localhost", 7071);

        var query = path.IndexOf('?', StringComparison.Ordinal);
        request.Path = query < 0 ? path : path[..query];
        request.QueryString = query < 0 ? QueryString.Empty : new QueryString(path[query..]);

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers[name] = value;
        }

        if (body is not null)
        {
            request.Body = body;
            request.ContentType = contentType;
            request.ContentLength = body.CanSeek ? body.Length - body.Position : null;
        }

        context.Response.Body = new MemoryStream();
        return request;
    }
}

/// <summary>A captured HTTP response.</summary>
public sealed record TestHttpResponse(int StatusCode, IHeaderDictionary Headers, string? ContentType, byte[] Body)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>The body deserialized with the web defaults ASP.NET Core writes it with (camelCase, case-insensitive).</summary>
    public T? Json<T>() => JsonSerializer.Deserialize<T>(Body, Web);
}
