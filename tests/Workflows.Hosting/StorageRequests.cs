using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Core;

namespace Workflows.Hosting;

/// <summary>
/// Counts the app's storage requests by activity (<see cref="ActivityScope"/>), service (blob, queue, table) and
/// operation (verb and target, plus the error status when storage refused it), each attempt once. A pipeline policy, added
/// to the app's Azure clients (the orchestration bench, the request-count tests); it only watches.
/// </summary>
public sealed class StorageRequests : ObservingPolicy
{
    private readonly ConcurrentDictionary<StorageRequest, long> _counts = new();

    /// <summary>When set, only the requests it holds for are counted (e.g. one table's, where an engine works alongside).</summary>
    public Func<Request, bool>? Only { get; init; }

    public long Total => _counts.Values.Sum();

    public IReadOnlyDictionary<StorageRequest, long> TakeSnapshot() => new Dictionary<StorageRequest, long>(_counts);

    public void Reset() => _counts.Clear();

    /// <summary>The requests made inside <paramref name="activity"/> to <paramref name="service"/> (null: any).</summary>
    public long Count(string? activity = null, string? service = null) =>
        _counts.Where(c => (activity is null || c.Key.Activity == activity) && (service is null || c.Key.Service == service)).Sum(c => c.Value);

    protected override void Observe(HttpMessage message)
    {
        var request = message.Request;
        if (Only?.Invoke(request) == false)
        {
            return;
        }

        var service = Service(request);
        var operation = Operation(service, request);
        var status = message.HasResponse ? message.Response.Status : 0;
        if (status >= 400 || status == 0)
        {
            operation += $" → {(status == 0 ? "no answer" : status)}";
        }

        _counts.AddOrUpdate(new StorageRequest(ActivityScope.Current ?? "(outside activities)", service, operation), 1, (_, n) => n + 1);
    }

    /// <summary>From the SDK's User-Agent (azsdk-net-Data.Tables/…, azsdk-net-Storage.Queues/…, azsdk-net-Storage.Blobs/…).</summary>
    private static string Service(Request request) =>
        request.Headers.TryGetValue("User-Agent", out var agent) ? agent switch
        {
            _ when agent.Contains("Data.Tables", StringComparison.Ordinal) => "table",
            _ when agent.Contains("Storage.Queues", StringComparison.Ordinal) => "queue",
            _ when agent.Contains("Storage.Blobs", StringComparison.Ordinal) => "blob",
            _ => "other",
        } : "other";

    private static string Operation(string service, Request request)
    {
        var method = request.Method.Method;
        var path = request.Uri.Path;
        var conditional = request.Headers.TryGetValue("If-Match", out var etag) && etag != "*" ? " if-match" : "";
        return service switch
        {
            "table" when path.EndsWith("$batch", StringComparison.Ordinal) => "POST batch",
            "table" when path.EndsWith("/Tables", StringComparison.Ordinal) || path.Contains("/Tables(", StringComparison.Ordinal) => $"{method} table",
            "table" when method == "GET" => path.EndsWith(')') && path.Contains("PartitionKey=", StringComparison.Ordinal) ? "GET entity" : "GET query",
            "table" when method == "POST" => "POST add",
            "table" => $"{method} entity{conditional}",
            "queue" => $"{method} {(path.EndsWith("/messages", StringComparison.Ordinal) ? "messages" : path.Contains("/messages/", StringComparison.Ordinal) ? "message" : "queue")}",
            _ => $"{method}{(request.Uri.Query.Contains("comp=", StringComparison.Ordinal) ? " " + request.Uri.Query.Split("comp=")[1].Split('&')[0] : "")}",
        };
    }
}

/// <summary>One kind of storage request: which activity made it, to which service, what it did.</summary>
public sealed record StorageRequest(string Activity, string Service, string Operation);

/// <summary>The activity function running on this async flow (set by the harness around each activity), or null.</summary>
public static class ActivityScope
{
    private static readonly AsyncLocal<string?> Name = new();

    public static string? Current => Name.Value;

    /// <summary>Where the wall time of every activity body goes, when set (the orchestration bench); null: not timed.</summary>
    public static ActivityTimings? Timings { get; set; }

    internal static async Task<object?> RunAsync(string activity, Func<Task<object?>> run)
    {
        Name.Value = activity;
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await run();
        }
        finally
        {
            Timings?.Add(activity, Stopwatch.GetElapsedTime(started));
        }
    }
}
