using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Workflows.Tests.TestSupport;

/// <summary>Function keys the server checks (as the deployed host does); without them, like <c>func start</c>, it checks none.</summary>
public sealed record FunctionKeys(string FunctionKey, string AdminKey);

/// <summary>
/// A real HTTP server (Kestrel, loopback, a port the OS picks) in front of a test app: every HTTP function of the app
/// (found by <see cref="HttpFunctionCatalog"/>) under <c>/api/{route}</c> with its methods, bound the way the Functions
/// ASP.NET Core integration binds it (the request, route values, the app's durable client, the request's abort token),
/// its <c>IActionResult</c> executed by MVC. With <see cref="FunctionKeys"/>, auth levels are enforced like the host
/// (<c>x-functions-key</c> header or <c>code</c> parameter; the admin key opens everything); 401 otherwise.
/// </summary>
public sealed class FunctionsHttpServer : IAsyncDisposable
{
    private readonly WebApplication _web;

    private FunctionsHttpServer(WebApplication web, Uri baseAddress)
    {
        _web = web;
        BaseAddress = baseAddress;
    }

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234/</c>; functions are under <c>api/</c>.</summary>
    public Uri BaseAddress { get; }

    public Uri ConsoleAddress => new(BaseAddress, "api/console/");

    public static async Task<FunctionsHttpServer> StartAsync(TestApp app, FunctionKeys? keys = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        FileLoggerProvider.AddIfRequested(builder.Logging);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddMvcCore(); // the result executors the Functions integration uses
        var web = builder.Build();
        foreach (var function in HttpFunctionCatalog.Discover())
        {
            web.MapMethods("/api/" + function.Route, function.Methods, context => InvokeAsync(context, function, app, keys));
        }

        await web.StartAsync();
        var address = web.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new FunctionsHttpServer(web, new Uri(address.TrimEnd('/') + "/"));
    }

    private static async Task InvokeAsync(HttpContext context, HttpFunction function, TestApp app, FunctionKeys? keys)
    {
        if (keys is not null && !IsAuthorized(context.Request, function.AuthLevel, keys))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var method = function.Method;
        var target = method.IsStatic ? null : ActivatorUtilities.CreateInstance(app.Services, method.DeclaringType!);
        var arguments = method.GetParameters().Select(p => Bind(p, context, app)).ToArray();
        var result = (IActionResult)(await FunctionInvoker.InvokeAsync(method, target, arguments))!;
        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
    }

    private static object? Bind(System.Reflection.ParameterInfo parameter, HttpContext context, TestApp app)
    {
        if (parameter.ParameterType == typeof(HttpRequest))
        {
            return context.Request;
        }

        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return context.RequestAborted;
        }

        return parameter.GetCustomAttributes(typeof(DurableClientAttribute), false).Length > 0
            ? app.Client
            : context.GetRouteValue(parameter.Name!)?.ToString();
    }

    private static bool IsAuthorized(HttpRequest request, AuthorizationLevel level, FunctionKeys keys)
    {
        string? key = request.Headers["x-functions-key"].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();
        return level switch
        {
            AuthorizationLevel.Anonymous => true,
            AuthorizationLevel.Function => key == keys.FunctionKey || key == keys.AdminKey,
            _ => key == keys.AdminKey,
        };
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _web.StopAsync(timeout.Token);
        await _web.DisposeAsync();
    }
}
