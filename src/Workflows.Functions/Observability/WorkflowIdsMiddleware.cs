using System.Diagnostics;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Workflows.Observability;

/// <summary>
/// Under the Functions host the Durable extension runs in the host, so the worker's spans for an activity are the
/// host's invocation spans, without the instance id. The activity trigger binds it (<c>instanceId</c>): this puts it
/// on the invocation span, where <see cref="WorkflowIdsProcessor"/> turns it into <c>order.id</c> / <c>asset.id</c>
/// for the invocation and every storage call inside it.
/// </summary>
internal sealed class WorkflowIdsMiddleware : IFunctionsWorkerMiddleware
{
    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (Activity.Current is { } span
            && context.BindingContext.BindingData.TryGetValue("instanceId", out var instanceId)
            && instanceId is string id)
        {
            span.SetTag(WorkflowTelemetry.InstanceIdAttribute, id);
            span.SetTag(WorkflowTelemetry.TaskNameAttribute, context.FunctionDefinition.Name);
            if (WorkflowTelemetry.IdOf(id, context.FunctionDefinition.Name) is { } workflowId)
            {
                span.SetTag(workflowId.Key, workflowId.Value);
            }
        }

        return next(context);
    }
}
