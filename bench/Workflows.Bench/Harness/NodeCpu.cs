using System.Globalization;

namespace Workflows.Bench.Harness;

/// <summary>
/// CPU time of other processes, from /proc/&lt;pid&gt;/stat (user + system, in clock ticks): here the Azurite that the
/// harness started (through a watchdog shell, and npx when the repository has no node_modules), found by the port it
/// serves, which only its own command lines name.
/// </summary>
internal sealed class NodeCpu(IReadOnlyList<int> pids)
{
    /// <summary>Linux's USER_HZ: /proc reports CPU times in hundredths of a second on every mainstream kernel.</summary>
    private const double TicksPerSecond = 100;

    public IReadOnlyList<int> Pids => pids;

    /// <summary>The processes whose command line has <paramref name="argument"/> (e.g. <c>--tablePort 12345</c>) as consecutive arguments.</summary>
    public static NodeCpu Find(params string[] argument)
    {
        List<int> found = [];
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (Enumerable.Range(0, Math.Max(0, args.Length - argument.Length + 1)).Any(i => args.Skip(i).Take(argument.Length).SequenceEqual(argument)))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return new NodeCpu(found);
    }

    /// <summary>The process's executable name (comm), or "?" once it is gone.</summary>
    public static string Name(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return "?";
        }
    }

    /// <summary>User + system CPU of the processes so far (one that ended counts nothing more).</summary>
    public TimeSpan Total()
    {
        long ticks = 0;
        foreach (var pid in pids)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
