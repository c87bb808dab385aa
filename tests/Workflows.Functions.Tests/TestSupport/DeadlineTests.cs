namespace Workflows.Tests.TestSupport;

/// <summary>
/// The deadline every test wait uses: real time on a quiet machine, slower under load, and bounded whatever the load,
/// so a hang still fails (README, How the tests run…, Waits under load).
/// </summary>
public sealed class DeadlineTests
{
    [Fact]
    public void Deadline_QuietMachine_SpendsTheBudgetInRealTime()
    {
        // Act: a 1-minute load average up to one per core.
        var idle = Deadline.Spent(TimeSpan.FromSeconds(10), load: 0.3, cores: 2);
        var busy = Deadline.Spent(TimeSpan.FromSeconds(10), load: 2.0, cores: 2);

        // Assert
        Assert.Equal(TimeSpan.FromSeconds(10), idle);
        Assert.Equal(TimeSpan.FromSeconds(10), busy);
    }

    [Fact]
    public void Deadline_Load25OnTwoCores_SpendsTheBudgetTwelveAndAHalfTimesSlower()
    {
        // Act
        var spent = Deadline.Spent(TimeSpan.FromSeconds(125), load: 25, cores: 2);

        // Assert
        Assert.Equal(TimeSpan.FromSeconds(10), spent);
    }

    [Fact]
    public void Deadline_AnyLoad_EndsAWaitWithinEightTimesItsBudgetAndTenMinutes()
    {
        // Act: however slowly the clock runs, a wait ends at its cap in real time.
        var caps = new[] { 30, 60, 90, 180, 1200 }.Select(s => Deadline.Cap(TimeSpan.FromSeconds(s)).TotalSeconds);

        // Assert: a budget longer than the ceiling is its own cap.
        Assert.Equal([240, 480, 600, 600, 1200], caps);
    }

    [Fact]
    public void Deadline_HangCutOffAtItsCapUnderHeavyLoad_StopsTheStretchingOfLaterWaits()
    {
        // Arrange: a 60 s wait that hangs at load 30 on 2 cores (a loaded CI run): 15 times slower, so at its cap, 480 s
        // of real time, it has spent only 32 s of its budget.
        var budget = TimeSpan.FromSeconds(60);
        var cap = Deadline.Cap(budget);
        var credited = Deadline.Spent(cap, load: 30, cores: 2);

        // Act
        var end = Deadline.Judge(credited, cap, budget, cap, runningOutFails: true);

        // Assert: it ends and fails its test, so the run is red; the next hangs must not cost their whole caps too.
        Assert.Equal((true, true), end);
    }

    [Fact]
    public void Deadline_WaitWhoseRunningOutIsExpected_LeavesTheStretchingOn()
    {
        // Arrange: an "until done or the budget is up" wait (the caller goes on either way), spent or cut at its cap.
        var budget = TimeSpan.FromSeconds(60);
        var cap = Deadline.Cap(budget);

        // Act
        var spent = Deadline.Judge(budget, budget, budget, cap, runningOutFails: false);
        var capped = Deadline.Judge(TimeSpan.FromSeconds(32), cap, budget, cap, runningOutFails: false);

        // Assert
        Assert.Equal(((true, false), (true, false)), (spent, capped));
    }

    [Fact]
    public async Task Deadline_BudgetSpent_CancelsItsTokenAndSaysWhatItWaited()
    {
        // Arrange: a wait whose running out is expected does not stop the stretching of the run's other waits.
        using var deadline = new Deadline(TimeSpan.FromMilliseconds(1), runningOutFails: false);

        // Act: the ticker cancels it within a tick or two (the minute is only a guard against a ticker that never runs).
        var waited = await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Task.Delay(Timeout.Infinite, deadline.Token).WaitAsync(TimeSpan.FromMinutes(1)));

        // Assert
        Assert.Equal(deadline.Token, waited.CancellationToken);
        Assert.Contains("for a 0 s budget", deadline.ToString(), StringComparison.Ordinal);
    }
}
