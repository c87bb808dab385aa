using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Workflows.Tests.TestSupport;

/// <summary>A test app behind the real HTTP server, and an <see cref="HttpClient"/> whose base address is <c>/api/</c>.</summary>
public sealed class HttpTestApp : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private HttpTestApp(TestApp app, FunctionsHttpServer server)
    {
        App = app;
        Server = server;
        Http = new HttpClient { BaseAddress = new Uri(server.BaseAddress, "api/"), Timeout = Deadline.ForClient(TimeSpan.FromSeconds(60)) };
    }

    public TestApp App { get; }

    public FunctionsHttpServer Server { get; }

    public HttpClient Http { get; }

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public static async Task<HttpTestApp> StartAsync(
        Action<IDictionary<string, string?>>? settings = null,
        Action<IServiceCollection>? services = null,
        FunctionKeys? keys = null,
        params Assembly[] extraFunctionAssemblies)
    {
        var app = await TestApp.StartAsync(settings, services, extraFunctionAssemblies);
        try
        {
            return new HttpTestApp(app, await FunctionsHttpServer.StartAsync(app, keys));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>GETs <paramref name="path"/> and asserts 200.</summary>
    public async Task<T> GetAsync<T>(string path)
    {
        using var response = await Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    public Task<HttpResponseMessage> PostAsync(string path, object? body = null) =>
        Http.PostAsync(path, body is null ? null : JsonContent.Create(body, options: Json));

    /// <summary>Asserts a problem-details answer with <paramref name="status"/> and returns its body.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonSerializer.Deserialize<JsonElement>(body);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        await App.DisposeAsync();
    }
}
