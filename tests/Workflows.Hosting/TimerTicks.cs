using System.Globalization;
using System.Text.RegularExpressions;

namespace Workflows.Hosting;

/// <summary>
/// When a timer trigger with an every-N-minutes schedule (<c>0 */N * * * *</c>, on the minute) fires: the ticks the host
/// would run it at, for tests and the bench that run a timer function on its schedule with a clock of their own.
/// </summary>
public sealed partial record TimerTicks(TimeSpan Period)
{
    public static TimerTicks Parse(string schedule)
    {
        var match = EveryNMinutes().Match(schedule);
        return match.Success
            ? new TimerTicks(TimeSpan.FromMinutes(match.Groups[1].Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 1))
            : throw new ArgumentException($"Only '0 */N * * * *' schedules are understood here, not '{schedule}'.", nameof(schedule));
    }

    /// <summary>The first tick strictly after <paramref name="time"/> (minutes divisible by N, second 0, UTC).</summary>
    public DateTimeOffset After(DateTimeOffset time)
    {
        var minutes = (long)Period.TotalMinutes;
        var utc = time.ToUniversalTime();
        var hour = new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
        var next = hour.AddMinutes((utc.Minute / minutes + 1) * minutes);
        // N that does not divide 60 restarts at every hour, as cron does.
        return next.Hour != hour.Hour && next.Minute != 0 ? hour.AddHours(1) : next;
    }

    [GeneratedRegex(@"^0 (?:\*|\*/([1-9][0-9]?)) \* \* \* \*$")]
    private static partial Regex EveryNMinutes();
}
