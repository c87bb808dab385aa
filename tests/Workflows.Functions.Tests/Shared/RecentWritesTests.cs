using Workflows.Shared.Storage;

namespace Workflows.Tests.Shared;

/// <summary>The write memory behind the order view's and index's If-Match guesses: bounded, dropping the least recently written key.</summary>
public sealed class RecentWritesTests
{
    [Fact]
    public void Set_PastCapacity_DropsTheKeyWrittenLeastRecently()
    {
        // Arrange: a written first, b second, then a again (the order's next step).
        var recent = new RecentWrites<string, int>(2);
        recent.Set("a", 1);
        recent.Set("b", 1);
        recent.Set("a", 2);

        // Act
        recent.Set("c", 1);

        // Assert: b goes; a, still being written, stays.
        Assert.False(recent.TryGet("b", out _));
        Assert.True(recent.TryGet("a", out var a));
        Assert.Equal(2, a);
        Assert.True(recent.TryGet("c", out _));
    }

    [Fact]
    public void Set_AfterForgetManyTimes_StillDropsOnlyTheOldestKey()
    {
        // Arrange: b written, then a forgotten and written again many times (stale guesses of one order).
        var recent = new RecentWrites<string, int>(2);
        recent.Set("a", 0);
        recent.Set("b", 0);
        for (var i = 1; i <= 1_000; i++)
        {
            recent.Forget("a");
            recent.Set("a", i);
        }

        // Act
        recent.Set("c", 0);

        // Assert
        Assert.False(recent.TryGet("b", out _));
        Assert.True(recent.TryGet("a", out var a));
        Assert.Equal(1_000, a);
        Assert.True(recent.TryGet("c", out _));
    }

    [Fact]
    public async Task Set_ConcurrentlyWithForgetOnFewKeys_NeverHoldsMoreThanTheCapacity()
    {
        // Arrange
        var recent = new RecentWrites<int, int>(8);

        // Act: writers and forgetters race on 64 keys.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                var key = (i * 7 + w) % 64;
                if (i % 3 == 0)
                {
                    recent.Forget(key);
                }
                else
                {
                    recent.Set(key, i);
                }
            }
        })));

        // Assert
        Assert.InRange(Enumerable.Range(0, 64).Count(k => recent.TryGet(k, out _)), 0, 8);
    }
}
