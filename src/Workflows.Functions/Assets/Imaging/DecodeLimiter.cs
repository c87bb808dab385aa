namespace Workflows.Assets.Imaging;

/// <summary>
/// Bounds the decoded pixels this process holds at once. A decode holds its bitmap plus the cascade's smaller copies
/// (4 bytes per pixel: a 12 MP photo is 48 MB at full scale, 12 MB at the 1/2 scale a 1600 px rendition needs; a
/// 100 MP PNG, which cannot be decoded at reduced scale, is 400 MB). So a decode takes slots by weight
/// (<see cref="WeightOf"/>: one per 12 MP decoded, at least one, at most all of them): two JPEGs decoded at reduced
/// scale run side by side, a 24 MP PNG waits until it can have both slots. Decoding is CPU-bound, so more slots than
/// cores buy no throughput, only memory: the default is 2. Waiters are served first come, first served, so a heavy
/// decode is not starved by light ones.
/// </summary>
public sealed class DecodeLimiter : IDisposable
{
    public const int DefaultMaxConcurrentDecodes = 2;

    /// <summary>The decoded pixels one slot stands for: a 12 MP photo decoded at full size.</summary>
    public const long PixelsPerSlot = 12_000_000;

    private readonly object _gate = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private int _available;

    public DecodeLimiter(int maxConcurrentDecodes = DefaultMaxConcurrentDecodes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentDecodes, 1);
        MaxConcurrentDecodes = maxConcurrentDecodes;
        _available = maxConcurrentDecodes;
    }

    public int MaxConcurrentDecodes { get; }

    /// <summary>Slots free right now (for diagnostics and tests).</summary>
    public int AvailableSlots
    {
        get
        {
            lock (_gate)
            {
                return _available;
            }
        }
    }

    /// <summary>The slots a decode of <paramref name="decodedPixels"/> takes: one per 12 MP started, 1 to all.</summary>
    public int WeightOf(long decodedPixels) =>
        (int)Math.Clamp((decodedPixels + PixelsPerSlot - 1) / PixelsPerSlot, 1, MaxConcurrentDecodes);

    /// <summary>Waits for one slot; dispose the lease to give it back.</summary>
    public Task<IDisposable> EnterAsync(CancellationToken cancellationToken) => EnterAsync(1, cancellationToken);

    /// <summary>Waits for <paramref name="weight"/> slots (clamped to 1..all) at once; dispose the lease to give them back.</summary>
    public Task<IDisposable> EnterAsync(int weight, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        weight = Math.Clamp(weight, 1, MaxConcurrentDecodes);
        Waiter waiter;
        lock (_gate)
        {
            if (_waiters.Count == 0 && _available >= weight)
            {
                _available -= weight;
                return Task.FromResult<IDisposable>(new Lease(this, weight));
            }

            waiter = new Waiter(weight);
            waiter.Node = _waiters.AddLast(waiter);
        }

        waiter.Cancellation = cancellationToken.Register(() => Cancel(waiter, cancellationToken));
        return waiter.Entered.Task;
    }

    public void Dispose()
    {
    }

    private void Cancel(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (waiter.Node?.List is null)
            {
                return; // already entered
            }

            _waiters.Remove(waiter.Node);
            GrantWaiting(); // a heavy waiter at the head may have held lighter ones back
        }

        waiter.Entered.TrySetCanceled(cancellationToken);
    }

    private void Release(int weight)
    {
        lock (_gate)
        {
            _available += weight;
            GrantWaiting();
        }
    }

    // Under _gate: lets in waiters from the head while their weight fits.
    private void GrantWaiting()
    {
        while (_waiters.First is { } first && first.Value.Weight <= _available)
        {
            Waiter next = first.Value;
            _waiters.RemoveFirst();
            _available -= next.Weight;
            next.Cancellation.Dispose();
            next.Entered.TrySetResult(new Lease(this, next.Weight));
        }
    }

    private sealed class Waiter(int weight)
    {
        public int Weight { get; } = weight;

        public TaskCompletionSource<IDisposable> Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Cancellation { get; set; }
    }

    private sealed class Lease(DecodeLimiter limiter, int weight) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                limiter.Release(weight);
            }
        }
    }
}
