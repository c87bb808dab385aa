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

    /// <summary>
    /// The median (of the middle two when the count is even) and the 90th percentile (nearest rank: the time at least 90%
    /// of the calls took no longer than) of <paramref name="times"/>, in milliseconds; NaN when there are none.
    /// </summary>
    public static (double Median, double P90) MedianAndP90(IEnumerable<TimeSpan> times)
    {
        var ms = times.Select(t => t.TotalMilliseconds).Order().ToList();
        if (ms.Count == 0)
        {
            return (double.NaN, double.NaN);
        }

        var middle = ms.Count / 2;
        var median = ms.Count % 2 == 1 ? ms[middle] : (ms[middle - 1] + ms[middle]) / 2;
        var rank = (9 * ms.Count + 9) / 10; // ceil(0.9 n), in integers
        return (median, ms[rank - 1]);
    }
}
