using Workflows.Assets.Imaging;

namespace Workflows.Tests.Assets.Imaging;

public sealed class DecodeLimiterTests
{
    [Fact]
    public async Task DecodeLimiter_AllSlotsTaken_NextEntryWaitsForARelease()
    {
        // Arrange
        using var limiter = new DecodeLimiter(1);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
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
}
