using Workflows.Tests.TestSupport;
using Workflows.Assets.Imaging;

namespace Workflows.Tests.Assets.Imaging;

public sealed class DecodeLimiterTests
{
    [Fact]
    public async Task DecodeLimiter_AllSlotsTaken_NextEntryWaitsForARelease()
    {
        // Arrange
        using var limiter = new DecodeLimiter(1);
        using var timeout = new Deadline(TimeSpan.FromSeconds(30));
        IDisposable first = await limiter.EnterAsync(timeout.Token);

        // Act
        Task<IDisposable> second = limiter.EnterAsync(timeout.Token);
        bool waitedWhileHeld = !second.IsCompleted;
        first.Dispose();
        first.Dispose();
        using IDisposable entered = await second;

        // Assert
        Assert.True(waitedWhileHeld);
        Assert.Equal(0, limiter.AvailableSlots);
    }

    [Fact]
    public async Task DecodeLimiter_HeavyDecodeWaiting_TakesEverySlotAndLighterOnesQueueBehindIt()
    {
        // Arrange: a 24 MP full-size decode weighs two slots; a reduced-scale JPEG decode one.
        using var limiter = new DecodeLimiter(2);
        using var timeout = new Deadline(TimeSpan.FromSeconds(30));
        Assert.Equal((1, 1, 2, 2), (limiter.WeightOf(3_000_000), limiter.WeightOf(12_000_000), limiter.WeightOf(24_000_000), limiter.WeightOf(100_000_000)));
        IDisposable light = await limiter.EnterAsync(1, timeout.Token);

        // Act
        Task<IDisposable> heavy = limiter.EnterAsync(2, timeout.Token);
        Task<IDisposable> nextLight = limiter.EnterAsync(1, timeout.Token);
        bool heavyWaited = !heavy.IsCompleted;
        bool lightQueuedBehind = !nextLight.IsCompleted; // a slot is free, but first come, first served
        light.Dispose();
        IDisposable heavyLease = await heavy;
        bool lightWaitedForHeavy = !nextLight.IsCompleted;
        heavyLease.Dispose();
        using IDisposable lightLease = await nextLight;

        // Assert
        Assert.True(heavyWaited && lightQueuedBehind && lightWaitedForHeavy);
        Assert.Equal(1, limiter.AvailableSlots);
    }

    [Fact]
    public async Task DecodeLimiter_WaiterCancelled_LeavesTheQueueAndOthersGetIn()
    {
        // Arrange
        using var limiter = new DecodeLimiter(2);
        IDisposable held = await limiter.EnterAsync(1, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        Task<IDisposable> heavy = limiter.EnterAsync(2, cancel.Token);
        Task<IDisposable> light = limiter.EnterAsync(1, CancellationToken.None);

        // Act
        await cancel.CancelAsync();

        // Assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => heavy);
        using IDisposable entered = await light.WithinAsync(TimeSpan.FromSeconds(30));
        held.Dispose();
        Assert.Equal(1, limiter.AvailableSlots);
    }
}
