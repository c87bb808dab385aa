using System.Diagnostics;
using OpenTelemetry;

namespace Workflows.Observability;

/// <summary>
/// Puts <c>order.id</c> / <c>asset.id</c> on every span of a workflow: a span started under one that has them (a
/// storage call inside an activity) inherits them when it starts, and a Durable Task span, whose instance id is set
/// right after it starts, gets them when it ends and hands them up to the spans that started it (the HTTP request that
/// scheduled the order).
/// </summary>
internal sealed class WorkflowIdsProcessor : BaseProcessor<Activity>
{
    public override void OnStart(Activity data)
    {
        if (Find(data.Parent) is { } id)
        {
            data.SetTag(id.Key, id.Value);
        }
    }

    public override void OnEnd(Activity data)
    {
        if (Find(data) is not { } id)
        {
            return;
        }

        for (var span = data; span is not null && span.GetTagItem(id.Key) is null; span = span.Parent)
        {
            span.SetTag(id.Key, id.Value);
        }
    }

    private static KeyValuePair<string, string>? Find(Activity? span)
    {
        for (; span is not null; span = span.Parent)
        {
            foreach (var key in (string[])[WorkflowTelemetry.OrderIdAttribute, WorkflowTelemetry.AssetIdAttribute])
            {
                if (span.GetTagItem(key) is string value)
                {
                    return new(key, value);
                }
            }

            if (span.GetTagItem(WorkflowTelemetry.InstanceIdAttribute) is string instanceId
                && WorkflowTelemetry.IdOf(instanceId, span.GetTagItem(WorkflowTelemetry.TaskNameAttribute) as string) is { } id)
            {
                return id;
            }
        }

        return null;
    }
}
