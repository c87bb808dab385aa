using System.Globalization;

namespace Workflows.Tests.Reliability.Fuzzing;

/// <summary>
/// The process's resident memory now and its peak since <see cref="Reset"/> (Linux: <c>VmRSS</c> and <c>VmHWM</c> of
/// <c>/proc/self/status</c>; writing 5 to <c>/proc/self/clear_refs</c> resets the peak), in MB.
/// </summary>
internal static class PeakMemory
{
    public static void Reset() => File.WriteAllText("/proc/self/clear_refs", "5");

    public static (long CurrentMb, long PeakMb) Read()
    {
        var status = File.ReadAllLines("/proc/self/status");
        return (Kb(status, "VmRSS:") / 1024, Kb(status, "VmHWM:") / 1024);
    }

    private static long Kb(string[] status, string field) =>
        long.Parse(status.Single(l => l.StartsWith(field, StringComparison.Ordinal))[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
}
