using System.Collections.Frozen;
using System.Diagnostics;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Workflows.Observability;

/// <summary>
/// The app's trace vocabulary: its ActivitySource and the attributes that tie a span to one order or one asset. The
/// Durable Task spans carry the instance id; since an order's instance id is its order id, and an asset pipeline's is
/// <c>asset-{assetId}</c>, the ids follow from the instance id and the function's feature folder.
/// </summary>
public static class WorkflowTelemetry
{
    public const string SourceName = "Workflows";
    public const string OrderIdAttribute = "order.id";
    public const string AssetIdAttribute = "asset.id";

    /// <summary>What the Durable Task SDK (and, under the host, <see cref="WorkflowIdsMiddleware"/>) tags its spans with.</summary>
    public const string InstanceIdAttribute = "durabletask.task.instance_id";
    public const string TaskNameAttribute = "durabletask.task.name";

    public static readonly ActivitySource Source = new(SourceName);

    private const int AssetIdLength = 32;

    // Function name -> feature, from the [Function] methods themselves (no second hand-kept list).
    private static readonly FrozenDictionary<string, string> Features = typeof(WorkflowTelemetry).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Select(m => (m.GetCustomAttribute<FunctionAttribute>()?.Name, Feature: t.Namespace?.Split('.').ElementAtOrDefault(1))))
        .Where(f => f.Name is not null && f.Feature is not null)
        .ToFrozenDictionary(f => f.Name!, f => f.Feature!, StringComparer.Ordinal);

    /// <summary>Tags the current span (a request for one workflow) with its id; the spans started under it inherit it.</summary>
    public static void TagCurrent(string attribute, string id) => Activity.Current?.SetTag(attribute, id);

    /// <summary>A span for work on one workflow inside a caller that may handle several (a sweep starting many uploads).</summary>
    public static Activity? StartSpan(string name, string attribute, string id) =>
        Source.StartActivity(name)?.SetTag(attribute, id);

    /// <summary>
    /// The business id of a durable instance: <c>order.id</c> for the Orders functions, <c>asset.id</c> for an Assets
    /// instance that is one asset's (<c>asset-{id}</c>, or a re-render <c>{bulk}-{id}</c>); null otherwise.
    /// </summary>
    public static KeyValuePair<string, string>? IdOf(string instanceId, string? functionName)
    {
        var feature = functionName is null ? null : Features.GetValueOrDefault(functionName);
        if (feature == "Orders")
        {
            return new(OrderIdAttribute, instanceId);
        }

        var assetId = instanceId.Length > AssetIdLength + 1 && instanceId[^(AssetIdLength + 1)] == '-' ? instanceId[^AssetIdLength..] : null;
        return feature == "Assets" && Assets.AssetIds.IsValid(assetId) ? new(AssetIdAttribute, assetId!) : null;
    }
}
