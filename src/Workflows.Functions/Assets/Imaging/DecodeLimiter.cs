namespace Workflows.Assets.Imaging;

/// <summary>
/// Bounds how many images this process decodes at once. A decode holds the decoded bitmap plus the cascade's
/// smaller copies (4 bytes per pixel: a 12 MP photo is 48 MB at full scale, 12 MB at the 1/2 scale a 1600 px
/// rendition needs; a 100 MP PNG, which cannot be decoded at reduced scale, is 400 MB). Decoding is CPU-bound,
/// so more slots than cores buy no throughput, only memory: the default is 2.
/// </summary>
public sealed class DecodeLimiter : IDisposable
{
    public const int DefaultMaxConcurrentDecodes = 2;

    private readonly SemaphoreSlim _slots;

    public DecodeLimiter(int maxConcurrentDecodes = DefaultMaxConcurrentDecodes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentDecodes, 1);
        MaxConcurrentDecodes = maxConcurrentDecodes;
        _slots = new SemaphoreSlim(maxConcurrentDecodes, maxConcurrentDecodes);
    }

    public int MaxConcurrentDecodes { get; }

    /// <summary>Slots free right now (for diagnostics and tests).</summary>
    public int AvailableSlots => _slots.CurrentCount;

    /// <summary>Waits for a slot; dispose the lease to give it back.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        return new Lease(_slots);
    }

    public void Dispose() => _slots.Dispose();

    private sealed class Lease(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
