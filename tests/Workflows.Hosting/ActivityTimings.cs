using System.Collections.Concurrent;

namespace Workflows.Hosting;

/// <summary>
/// The wall time of each activity body (from the harness handing it its input to its result), by activity name: how
/// long the activities hold their orchestration, apart from the engine's own dispatch. Set on <see cref="ActivityScope.Timings"/>.
/// </summary>
public sealed class ActivityTimings
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<TimeSpan>> _times = new(StringComparer.Ordinal);

    public void Add(string activity, TimeSpan elapsed) => _times.GetOrAdd(activity, _ => new()).Enqueue(elapsed);

    public IReadOnlyDictionary<string, IReadOnlyList<TimeSpan>> TakeSnapshot() =>
        _times.ToDictionary(t => t.Key, t => (IReadOnlyList<TimeSpan>)[.. t.Value], StringComparer.Ordinal);

    public void Reset() => _times.Clear();
}
