using System.Runtime.CompilerServices;

namespace Workflows.Tests.TestSupport;

/// <summary>
/// Waiting for a condition a test cannot await (an instance's custom status, a row, a view), read again and again
/// within a <see cref="Deadline"/>: the budget is what it may take on a quiet machine, stretched under load.
/// </summary>
public static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Reads until <paramref name="done"/> holds for what was read, and returns that. Once the deadline has passed, a
    /// <see cref="TimeoutException"/> says what was awaited, the last value read and the deadline's figures.
    /// </summary>
    public static async Task<T> UntilAsync<T>(
        string what, TimeSpan budget, Func<CancellationToken, Task<T>> read, Func<T, bool> done, TimeSpan? interval = null)
    {
        using var deadline = new Deadline(budget);
        var last = "nothing yet";
        try
        {
            while (true)
            {
                var value = await read(deadline.Token);
                if (done(value))
                {
                    return value;
                }

                last = value?.ToString() ?? "null";
                await Task.Delay(interval ?? Interval, deadline.Token);
            }
        }
        catch (Exception e) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"Still waiting for {what}: {deadline}; last read: {last}.", e);
        }
    }

    /// <summary>Asks <paramref name="done"/> until it says yes; see <see cref="UntilAsync{T}"/>.</summary>
    public static Task UntilAsync(string what, TimeSpan budget, Func<CancellationToken, Task<bool>> done) =>
        UntilAsync(what, budget, done, yes => yes);

    /// <summary>Awaits <paramref name="task"/> within a <see cref="Deadline"/> of <paramref name="budget"/>; a <see cref="TimeoutException"/> names it.</summary>
    public static async Task<T> WithinAsync<T>(this Task<T> task, TimeSpan budget, [CallerArgumentExpression(nameof(task))] string what = "")
    {
        using var deadline = new Deadline(budget);
        try
        {
            return await task.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"Still waiting for {what}: {deadline}.");
        }
    }

    /// <inheritdoc cref="WithinAsync{T}(Task{T}, TimeSpan, string)"/>
    public static async Task WithinAsync(this Task task, TimeSpan budget, [CallerArgumentExpression(nameof(task))] string what = "")
    {
        using var deadline = new Deadline(budget);
        try
        {
            await task.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"Still waiting for {what}: {deadline}.");
        }
    }
}
