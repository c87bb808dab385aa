using System.Collections.Concurrent;

namespace Workflows.Shared.Storage;

/// <summary>
/// What this process last wrote per key (e.g. a row's content and ETag), so the next write can go straight to a
/// conditional write (If-Match) instead of reading first. A hint only: a write on a stale hint fails its condition and
/// the caller reads. Bounded: past <paramref name="capacity"/> keys, the oldest are dropped first.
/// </summary>
internal sealed class RecentWrites<TKey, TValue>(int capacity) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _values = new();
    private readonly ConcurrentQueue<TKey> _added = new();

    public bool TryGet(TKey key, out TValue value) => _values.TryGetValue(key, out value!);

    public void Set(TKey key, TValue value)
    {
        if (!_values.TryAdd(key, value))
        {
            _values[key] = value;
            return;
        }

        _added.Enqueue(key);
        while (_values.Count > capacity && _added.TryDequeue(out var oldest))
        {
            _values.TryRemove(oldest, out _);
        }
    }

    public void Forget(TKey key) => _values.TryRemove(key, out _);
}
