using System.Reflection;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Workflows.Hosting;

/// <summary>
/// Runs a function-style orchestrator method. Exposes the method's own input type, so the engine deserializes the input to
/// the declared record (the untyped registration hands the method a JsonElement).
/// </summary>
internal sealed class FunctionOrchestrator(DurableFunction function) : ITaskOrchestrator
{
    public Type InputType => function.InputType;

    public Type OutputType => function.OutputType;

    public Task<object?> RunAsync(TaskOrchestrationContext context, object? input)
    {
        var method = function.Method;
        var target = method.IsStatic ? null : Activator.CreateInstance(method.DeclaringType!);
        var arguments = method.GetParameters()
            .Select(p => p.ParameterType == typeof(TaskOrchestrationContext) ? context : FunctionInvoker.Coerce(input, p.ParameterType))
            .ToArray();
        return FunctionInvoker.InvokeAsync(method, target, arguments);
    }
}

/// <summary>
/// Runs an activity method on an instance created per invocation from the worker's (scoped) services, as the Functions
/// host does; the cancellation token is the worker's shutdown token.
/// </summary>
internal sealed class FunctionActivity(DurableFunction function, IServiceProvider services) : ITaskActivity
{
    public Type InputType => function.InputType;

    public Type OutputType => function.OutputType;

    public Task<object?> RunAsync(TaskActivityContext context, object? input)
    {
        var method = function.Method;
        var target = method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, method.DeclaringType!);
        var stopping = services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        var arguments = method.GetParameters()
            .Select(p => p.ParameterType == typeof(CancellationToken) ? stopping : FunctionInvoker.Coerce(input, p.ParameterType))
            .ToArray();
        return ActivityScope.RunAsync(function.Name, () => FunctionInvoker.InvokeAsync(method, target, arguments));
    }
}

public static class FunctionInvoker
{
    /// <summary>T for Task&lt;T&gt;, ValueTask&lt;T&gt; and T; object for Task, ValueTask and void.</summary>
    public static Type ResultType(Type returnType)
    {
        if (returnType.IsGenericType &&
            (returnType.GetGenericTypeDefinition() == typeof(Task<>) || returnType.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            return returnType.GetGenericArguments()[0];
        }

        return returnType == typeof(void) || returnType == typeof(Task) || returnType == typeof(ValueTask) ? typeof(object) : returnType;
    }

    public static object? Coerce(object? input, Type type) =>
        input is null && type.IsValueType ? Activator.CreateInstance(type) : input;

    /// <summary>Invokes without wrapping exceptions, so failure details name the method's own exception type.</summary>
    public static async Task<object?> InvokeAsync(MethodInfo method, object? target, object?[] arguments)
    {
        var returned = method.Invoke(target, BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);
        var declared = method.ReturnType;
        if (returned is null)
        {
            return null;
        }

        if (declared.IsGenericType && declared.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            returned = declared.GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(returned, null);
        }
        else if (returned is ValueTask valueTask)
        {
            returned = valueTask.AsTask();
        }

        if (returned is not Task task)
        {
            return returned;
        }

        // No ConfigureAwait(false): orchestrator code must stay on the orchestration's synchronization context.
        await task;
        return declared.IsGenericType ? task.GetType().GetProperty(nameof(Task<int>.Result))!.GetValue(task) : null;
    }
}
