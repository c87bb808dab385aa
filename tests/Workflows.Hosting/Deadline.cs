using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Workflows.Hosting;

/// <summary>
/// The one deadline every test and harness wait uses (an orchestration to finish, a condition to hold, a process to
/// listen), given as what the wait may take on a quiet machine. The wait's clock runs slower while the machine is busy:
/// at real time up to one runnable task per core, at cores ÷ (1-minute load average) of real time beyond that (load 25
/// on 2 cores: 1/12.5), re-read every second, so a wait that passes on a quiet machine also passes under other builds'
/// and tests' load, even when the load comes mid-wait. A hang still fails: each wait lasts at most <see cref="MaxStretch"/>
/// times its budget and no more than <see cref="Ceiling"/> (or the budget, when that is longer), and once one wait has
/// run out (its whole budget of machine time spent, or cut off at its cap) the run's waits are not stretched any more,
/// those under way included (the run is red anyway; a hanging regression should not cost every later test the cap).
/// <c>WORKFLOWS_TEST_TIME_SCALE=N</c> replaces all of that with exactly N times every budget (e.g. 1 for the plain
/// budgets, 20 for a very slow machine; no cap).
/// This is for waits for something that must happen; a window in which something must NOT happen is not stretched
/// this way (a longer window proves no more and costs every run).
/// </summary>
public sealed class Deadline : CancellationTokenSource
{
    public const string ScaleVariable = "WORKFLOWS_TEST_TIME_SCALE";

    /// <summary>A wait lasts at most this many times its budget in real time, however loaded the machine.</summary>
    public const double MaxStretch = 8;

    /// <summary>Nor longer than this (unless its budget is): a hang costs a run at most this much, however loaded the machine (on a quiet one, its budget).</summary>
    public static readonly TimeSpan Ceiling = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private static readonly double? FixedScale = ReadFixedScale();
    private static readonly ConcurrentDictionary<Deadline, byte> Running = new();
    private static readonly Timer Ticker = new(_ => TickAll(), null, Tick, Tick);
    private static volatile bool _oneRanOut;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeSpan _longest;
    private readonly bool _runningOutFails;
    private TimeSpan _credited;
    private TimeSpan _lastTick;
    private double _highestLoad;

    /// <param name="budget">What the wait may take on a quiet machine.</param>
    /// <param name="runningOutFails">False for a wait "until done or the budget is up" whose caller goes on either way:
    /// its running out says nothing of a hang, so later waits stay stretched.</param>
    public Deadline(TimeSpan budget, bool runningOutFails = true)
    {
        Budget = budget;
        _runningOutFails = runningOutFails;
        _longest = Longest(budget);
        if (FixedScale is not null)
        {
            CancelAfter(_longest);
            return;
        }

        // Held here until it ends, so the one ticker reaches it (and a wait on a task nothing else holds still ends).
        Running[this] = 0;
        GC.KeepAlive(Ticker);
    }

    /// <summary>The wait's budget on a quiet machine.</summary>
    public TimeSpan Budget { get; }

    /// <summary>Real time since the wait started.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>The most real time a wait with <paramref name="budget"/> can take in this run now.</summary>
    public static TimeSpan Longest(TimeSpan budget) =>
        FixedScale is { } scale ? budget * scale
        : _oneRanOut ? budget
        : Cap(budget);

    /// <summary>The most real time a wait with <paramref name="budget"/> can take however loaded the machine.</summary>
    public static TimeSpan Cap(TimeSpan budget) =>
        TimeSpan.FromTicks(Math.Min((budget * MaxStretch).Ticks, Math.Max(budget.Ticks, Ceiling.Ticks)));

    /// <summary>How much of a wait's budget <paramref name="realTime"/> uses at a 1-minute load average of <paramref name="load"/>.</summary>
    public static TimeSpan Spent(TimeSpan realTime, double load, int cores) => realTime / Math.Max(1, load / cores);

    /// <summary>
    /// For a library's own timeout (an HTTP client's, a browser's), which cannot follow the load while it waits: the
    /// budget stretched by the load now, within <see cref="Longest"/>.
    /// </summary>
    public static TimeSpan ForClient(TimeSpan budget) =>
        TimeSpan.FromTicks(Math.Min(Longest(budget).Ticks, (budget * (_oneRanOut ? 1 : Stretch)).Ticks));

    /// <summary>What the machine's load stretches a wait's clock by now (1 on a quiet machine; a wait's cap still holds).</summary>
    public static double Stretch => FixedScale ?? TimeSpan.FromSeconds(1) / Spent(TimeSpan.FromSeconds(1), LoadAverage(), Cores);

    /// <summary>For a timeout message: how long it waited, its budget and the load it saw.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"waited {Elapsed.TotalSeconds:0} s for a {Budget.TotalSeconds:0} s budget (at most {_longest.TotalSeconds:0} s; " +
            $"highest 1-minute load average seen {Math.Max(_highestLoad, LoadAverage()):0.0} on {Cores} cores)");

    private static void TickAll()
    {
        var load = LoadAverage();
        foreach (var deadline in Running.Keys)
        {
            deadline.OnTick(load);
        }
    }

    /// <summary>
    /// Whether a wait that has been credited <paramref name="credited"/> of machine time in <paramref name="elapsed"/> of
    /// real time ends now, and whether its end stops the stretching of the run's waits.
    /// </summary>
    public static (bool Ends, bool StopsStretching) Judge(
        TimeSpan credited, TimeSpan elapsed, TimeSpan budget, TimeSpan longest, bool runningOutFails)
    {
        var spent = credited >= budget;
        var capped = elapsed >= longest;

        // Either way a wait whose running out fails its test has failed it, so the run is red and later waits need not
        // be stretched: its whole budget of machine time spent (a hang), or cut off by its cap first (a hang under
        // heavy load, e.g. above 8 per core, as a CI run beside other work can be; not ending the stretching then let
        // every later hang cost its whole cap too, a class of hanging tests 8 minutes each).
        var ends = spent || capped;
        return (ends, ends && runningOutFails);
    }

    private void OnTick(double load)
    {
        bool ends, stopsStretching;
        lock (_clock)
        {
            var now = _clock.Elapsed;
            _highestLoad = Math.Max(_highestLoad, load);
            _credited += _oneRanOut ? now - _lastTick : Spent(now - _lastTick, load, Cores);
            _lastTick = now;
            (ends, stopsStretching) = Judge(_credited, now, Budget, _longest, _runningOutFails);
        }

        if (ends && Running.TryRemove(this, out _))
        {
            if (stopsStretching)
            {
                _oneRanOut = true; // only ever set: `|=` could write back a false read before another tick's true
            }
            try
            {
                _ = CancelAsync(); // the waiter's continuations run on the thread pool, not on the ticker
            }
            catch (ObjectDisposedException)
            {
                // The wait ended meanwhile.
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Running.TryRemove(this, out _);
        }

        base.Dispose(disposing);
    }

    /// <summary>The machine's cores: /proc/cpuinfo, since the tests set DOTNET_PROCESSOR_COUNT (test.runsettings).</summary>
    private static int Cores { get; } = CountCores();

    private static int CountCores()
    {
        try
        {
            var count = File.ReadLines("/proc/cpuinfo").Count(l => l.StartsWith("processor", StringComparison.Ordinal));
            return count > 0 ? count : Environment.ProcessorCount;
        }
        catch (IOException)
        {
            return Environment.ProcessorCount;
        }
        catch (UnauthorizedAccessException)
        {
            return Environment.ProcessorCount;
        }
    }

    /// <summary>The 1-minute load average; 0 where there is none to read (e.g. Windows).</summary>
    private static double LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }

    private static double? ReadFixedScale() =>
        Environment.GetEnvironmentVariable(ScaleVariable) is { Length: > 0 } text
            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) && scale > 0
                ? scale
                : throw new InvalidOperationException($"{ScaleVariable} must be a positive number, e.g. 4 (it is '{text}').")
            : null;
}
