using System.Text;
using System.Text.Json;
using DurableTask.Core.History;

namespace Workflows.Bench.Orchestrations;

/// <summary>
/// What one instance's history holds: its events, the bytes of their payloads (inputs and results as serialized), the
/// largest single payload, and the activities it scheduled, stage by stage (calls scheduled in one episode run in parallel).
/// </summary>
internal sealed record HistoryFacts(int Events, long PayloadBytes, int LargestPayload, IReadOnlyList<IReadOnlyList<string>> Stages)
{
    public int Activities => Stages.Sum(s => s.Count);

    /// <summary>The bare twin: the same stages, keeping only the activities <paramref name="keep"/> accepts.</summary>
    public BareShape Shape(Func<string, bool>? keep = null) =>
        new(Stages.Select(s => s.Count(name => keep?.Invoke(name) ?? true)).Where(width => width > 0).ToList());

    public static HistoryFacts Parse(string json)
    {
        using var history = JsonDocument.Parse(json);
        int events = 0, largest = 0;
        long payload = 0;
        List<IReadOnlyList<string>> stages = [];
        List<string> episode = [];
        foreach (var e in history.RootElement.EnumerateArray())
        {
            events++;
            foreach (var name in (string[])["Input", "Result", "Reason", "Details"])
            {
                if (e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    var bytes = Encoding.UTF8.GetByteCount(value.GetString()!);
                    payload += bytes;
                    largest = Math.Max(largest, bytes);
                }
            }

            switch (TypeOf(e))
            {
                case EventType.OrchestratorStarted when episode.Count > 0:
                    stages.Add(episode);
                    episode = [];
                    break;
                case EventType.TaskScheduled:
                    episode.Add(e.GetProperty(nameof(TaskScheduledEvent.Name)).GetString()!);
                    break;
            }
        }

        if (episode.Count > 0)
        {
            stages.Add(episode);
        }

        return new HistoryFacts(events, payload, largest, stages);
    }

    private static EventType TypeOf(JsonElement e) =>
        e.GetProperty(nameof(HistoryEvent.EventType)) is { ValueKind: JsonValueKind.Number } number
            ? (EventType)number.GetInt32()
            : Enum.Parse<EventType>(e.GetProperty(nameof(HistoryEvent.EventType)).GetString()!);
}
