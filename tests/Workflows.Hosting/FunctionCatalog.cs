using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Workflows.Hosting;

/// <summary>The kind of durable function a <c>[Function]</c> method is, from its trigger attribute.</summary>
public enum DurableFunctionKind
{
    Orchestrator,
    Activity,
}

/// <summary>One discovered <c>[Function]</c> orchestrator or activity.</summary>
public sealed record DurableFunction(string Name, DurableFunctionKind Kind, MethodInfo Method, Type InputType, Type OutputType);

/// <summary>
/// Finds every <c>[Function]</c> method with an <c>[OrchestrationTrigger]</c> or <c>[ActivityTrigger]</c> parameter, the
/// way the Functions host indexes them, and registers each on a <see cref="DurableTaskRegistry"/>: the tests run exactly
/// the app's functions, with no second hand-kept list. Unsupported signatures fail here, with the method named.
/// </summary>
public static class FunctionCatalog
{
    public static readonly Assembly AppAssembly = typeof(WorkflowsRegistration).Assembly;

    public static IReadOnlyList<DurableFunction> Discover(params Assembly[] extraAssemblies)
    {
        List<DurableFunction> found = [];
        foreach (var assembly in extraAssemblies.Prepend(AppAssembly).Distinct())
        {
            foreach (var method in assembly.GetTypes().SelectMany(t => t.GetMethods(
                         BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)))
            {
                var function = method.GetCustomAttribute<FunctionAttribute>();
                if (function is not null && Describe(function.Name, method) is { } durable)
                {
                    found.Add(durable);
                }
            }
        }

        var duplicate = found.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two functions are named '{duplicate.Key}'.");
        }

        return found;
    }

    /// <summary>Registers every discovered function, orchestrators and activities alike.</summary>
    public static void Register(DurableTaskRegistry registry, IEnumerable<DurableFunction> functions)
    {
        foreach (var function in functions)
        {
            if (function.Kind == DurableFunctionKind.Orchestrator)
            {
                registry.AddOrchestrator(function.Name, () => new FunctionOrchestrator(function));
            }
            else
            {
                registry.AddActivity(function.Name, services => new FunctionActivity(function, services));
            }
        }
    }

    public static DurableFunction? Describe(string name, MethodInfo method)
    {
        var parameters = method.GetParameters();
        var outputType = FunctionInvoker.ResultType(method.ReturnType);

        if (parameters.Any(p => p.GetCustomAttribute<OrchestrationTriggerAttribute>() is not null))
        {
            var inputs = parameters.Where(p => p.GetCustomAttribute<OrchestrationTriggerAttribute>() is null).ToList();
            if (parameters.Single(p => p.GetCustomAttribute<OrchestrationTriggerAttribute>() is not null).ParameterType != typeof(TaskOrchestrationContext)
                || inputs.Count > 1
                || inputs.Any(p => p.ParameterType == typeof(FunctionContext)))
            {
                throw Unsupported(method, "orchestrators take (TaskOrchestrationContext context[, TInput input])");
            }

            return new DurableFunction(name, DurableFunctionKind.Orchestrator, method, inputs.FirstOrDefault()?.ParameterType ?? typeof(object), outputType);
        }

        var trigger = parameters.FirstOrDefault(p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null);
        if (trigger is null)
        {
            return null;
        }

        if (parameters.Any(p => p != trigger && p.ParameterType != typeof(CancellationToken)))
        {
            throw Unsupported(method, "activities take ([ActivityTrigger] TInput input[, CancellationToken cancellationToken]); " +
                                      "inject services (ILogger<T>, clients) through the constructor instead");
        }

        return new DurableFunction(name, DurableFunctionKind.Activity, method, trigger.ParameterType, outputType);
    }

    private static NotSupportedException Unsupported(MethodInfo method, string rule) =>
        new($"{method.DeclaringType?.FullName}.{method.Name}: the test harness cannot call this signature: {rule}.");
}
