using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Workflows.Tests.TestSupport;

/// <summary>One discovered HTTP function: what the host would route to it, and the method to call.</summary>
public sealed record HttpFunction(string Name, IReadOnlyList<string> Methods, string Route, AuthorizationLevel AuthLevel, MethodInfo Method);

/// <summary>
/// Finds every <c>[Function]</c> method with an <c>[HttpTrigger]</c> parameter, as the Functions host indexes them (as
/// <see cref="FunctionCatalog"/> does for durable functions): no hand-kept route list. A parameter the test server
/// cannot bind fails discovery with the method named.
/// </summary>
public static class HttpFunctionCatalog
{
    public static IReadOnlyList<HttpFunction> Discover(params Assembly[] extraAssemblies)
    {
        List<HttpFunction> found = [];
        foreach (var assembly in extraAssemblies.Prepend(FunctionCatalog.AppAssembly).Distinct())
        {
            foreach (var method in assembly.GetTypes().SelectMany(t => t.GetMethods(
                         BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)))
            {
                var function = method.GetCustomAttribute<FunctionAttribute>();
                var trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(t => t is not null);
                if (function is null || trigger is null)
                {
                    continue;
                }

                var unbindable = method.GetParameters().FirstOrDefault(p => !CanBind(p));
                if (unbindable is not null)
                {
                    throw new NotSupportedException(
                        $"{method.DeclaringType?.FullName}.{method.Name}: the test server cannot bind parameter '{unbindable.Name}' " +
                        "(it binds the HttpRequest, route values as strings, [DurableClient] and CancellationToken).");
                }

                var methods = trigger.Methods is { Length: > 0 } m ? m.Select(x => x.ToUpperInvariant()).ToList() : ["GET", "POST", "PUT", "DELETE", "PATCH"];
                found.Add(new HttpFunction(function.Name, methods, trigger.Route ?? function.Name, trigger.AuthLevel, method));
            }
        }

        return found;
    }

    private static bool CanBind(ParameterInfo p) =>
        p.ParameterType == typeof(HttpRequest)
        || p.ParameterType == typeof(CancellationToken)
        || p.GetCustomAttribute<DurableClientAttribute>() is not null
        || p.ParameterType == typeof(string);
}
