using System.Diagnostics;
using OpenTelemetry;

namespace Workflows.Observability;

/// <summary>
/// Puts <c>order.id</c> / <c>asset.id</c> on every span of a workflow. A span started under one that has them (a
/// storage call inside an activity) inherits them when it starts; a Durable Task span, whose instance id the SDK sets
/// right after starting it, gets them when it ends. Only the span at hand is written: ancestors may be running on
/// other threads, and Activity tags are not thread-safe.
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
        if (Find(data) is { } id && data.GetTagItem(id.Key) is null)
        {
            data.SetTag(id.Key, id.Value);
        }
    }

    /// <summary>The ids of the nearest span, from here up, that has them or a workflow's instance id.</summary>
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
