namespace Workflows.Shared.Storage;

/// <summary>
/// What this process last wrote per key (e.g. a row's content and ETag), so the next write can go straight to a
/// conditional write (If-Match) instead of reading first. A hint only: a write on a stale hint fails its condition and
/// the caller reads. Bounded: past <paramref name="capacity"/> keys, the key written least recently is dropped.
/// </summary>
internal sealed class RecentWrites<TKey, TValue>(int capacity) where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> _nodes = [];
    private readonly LinkedList<(TKey Key, TValue Value)> _byWrite = []; // least recently written first

    /// <summary>How many keys are remembered (at most the capacity).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _nodes.Count;
            }
        }
    }

    public bool TryGet(TKey key, out TValue value)
    {
        lock (_gate)
        {
            if (_nodes.TryGetValue(key, out var node))
            {
                value = node.Value.Value;
                return true;
            }

            value = default!;
            return false;
        }
    }

    public void Set(TKey key, TValue value)
    {
        lock (_gate)
        {
            if (_nodes.Remove(key, out var node))
            {
                _byWrite.Remove(node);
            }

            _nodes[key] = _byWrite.AddLast((key, value));
            while (_nodes.Count > capacity && _byWrite.First is { } oldest)
            {
                _byWrite.RemoveFirst();
                _nodes.Remove(oldest.Value.Key);
            }
        }
    }

    public void Forget(TKey key)
    {
        lock (_gate)
        {
            if (_nodes.Remove(key, out var node))
            {
                _byWrite.Remove(node);
            }
        }
    }
}
