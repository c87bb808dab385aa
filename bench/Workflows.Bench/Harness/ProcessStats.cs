using System.Runtime.InteropServices;

namespace Workflows.Bench.Harness;

/// <summary>Linux process accounting: CPU time from getrusage, resident memory from /proc/self/status.</summary>
internal static partial class ProcessStats
{
    private const int RusageSelf = 0;
    private const int RusageChildren = -1;

    /// <summary>User + system CPU of every thread of this process so far.</summary>
    public static TimeSpan SelfCpu() => Cpu(RusageSelf);

    /// <summary>User + system CPU of every child (and their children) this process has waited for.</summary>
    public static TimeSpan ChildrenCpu() => Cpu(RusageChildren);

    /// <summary>Largest peak RSS of any child waited for, in KiB.</summary>
    public static long ChildrenPeakKib() => Usage(RusageChildren).MaxRss;

    /// <summary>Current resident set, in KiB.</summary>
    public static long RssKib() => StatusKib("VmRSS:");

    /// <summary>Peak resident set since start or the last <see cref="ResetPeak"/>, in KiB.</summary>
    public static long PeakKib() => StatusKib("VmHWM:");

    /// <summary>
    /// Resets the peak resident set (VmHWM) to the current one. Where the kernel refuses (some containers), peaks
    /// then count from the worker's start and over-state an operation's memory rather than fail the run.
    /// </summary>
    public static void ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// Hands freed memory back to the OS (managed heap and malloc arenas), so the next operation's peak is measured
    /// from a low floor rather than hidden in memory an earlier one left committed.
    /// </summary>
    public static void Settle()
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _ = MallocTrim(0);
    }

    private static TimeSpan Cpu(int who)
    {
        Rusage usage = Usage(who);
        long micros = (usage.UserSeconds + usage.SystemSeconds) * 1_000_000 + usage.UserMicros + usage.SystemMicros;
        return TimeSpan.FromMicroseconds(micros);
    }

    private static Rusage Usage(int who) =>
        GetRusage(who, out Rusage usage) == 0 ? usage : throw new InvalidOperationException($"getrusage failed ({Marshal.GetLastPInvokeError()}).");

    private static long StatusKib(string field)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(field.Length).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"/proc/self/status has no {field}");
    }

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static partial int GetRusage(int who, out Rusage usage);

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);

    // struct rusage on 64-bit Linux: two timevals, then 14 longs.
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds;
        public long UserMicros;
        public long SystemSeconds;
        public long SystemMicros;
        public long MaxRss;
        public long IxRss;
        public long IdRss;
        public long IsRss;
        public long MinFlt;
        public long MajFlt;
        public long NSwap;
        public long InBlock;
        public long OuBlock;
        public long MsgSnd;
        public long MsgRcv;
        public long NSignals;
        public long NVcsw;
        public long NIvcsw;
    }
}
