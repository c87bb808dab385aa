namespace Workflows.Assets.Imaging.Magick;

/// <summary>
/// The folder ImageMagick writes its temporary files to: the pixel caches of large images (<see cref="MagickRuntime"/>)
/// and the copy of a camera raw its coder reads from. One folder per process under the OS temp folder
/// (<c>workflows-magick/&lt;id&gt;</c>), held by an exclusive lock on its <c>.lock</c> file for the life of the process.
/// ImageMagick deletes each file when the image that owns it is disposed, also after a failed read; the folder goes
/// when the process exits, and what a process that died left behind is deleted by the next process that starts here,
/// which finds the folder's lock free.
/// </summary>
internal static class MagickTemporaryFiles
{
    private const string LockName = ".lock";

    /// <summary>A folder without a lock file (a process that died between creating it and locking it) is swept after this.</summary>
    private static readonly TimeSpan UnlockedGrace = TimeSpan.FromHours(1);

    private static FileStream? _lock;

    /// <summary>The parent of every process's folder.</summary>
    public static string Root { get; } = Path.Combine(Path.GetTempPath(), "workflows-magick");

    /// <summary>This process's folder; empty until <see cref="Create"/>.</summary>
    public static string Folder { get; private set; } = "";

    /// <summary>Deletes the folders of processes that are gone, then creates and locks this process's own.</summary>
    public static string Create()
    {
        SweepAbandoned();
        Folder = Path.Combine(Root, $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Folder);
        _lock = new FileStream(Path.Combine(Folder, LockName), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Remove();
        return Folder;
    }

    /// <summary>On a normal exit: the folder and its lock go too (best effort; the next start sweeps what is left).</summary>
    private static void Remove()
    {
        try
        {
            _lock?.Dispose();
            Directory.Delete(Folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// Recreates the folder should something have deleted it (a temp cleaner): ImageMagick would otherwise write its
    /// files to the working directory. Called before each decode; one stat when the folder is there.
    /// </summary>
    public static void EnsureFolder()
    {
        if (Folder.Length > 0 && !Directory.Exists(Folder))
        {
            Directory.CreateDirectory(Folder);
            _lock?.Dispose();
            _lock = new FileStream(Path.Combine(Folder, LockName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
    }

    /// <summary>Files ImageMagick holds in this process's folder right now (for tests and diagnostics).</summary>
    public static IReadOnlyList<string> Files() =>
        Folder.Length == 0 || !Directory.Exists(Folder) ? []
            : [.. Directory.EnumerateFiles(Folder).Where(f => Path.GetFileName(f) != LockName)];

    internal static void SweepAbandoned()
    {
        if (!Directory.Exists(Root))
        {
            return;
        }

        foreach (string folder in Directory.EnumerateDirectories(Root))
        {
            try
            {
                string lockPath = Path.Combine(folder, LockName);
                if (!File.Exists(lockPath))
                {
                    if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) > UnlockedGrace)
                    {
                        Directory.Delete(folder, recursive: true);
                    }

                    continue;
                }

                // Taken only when its process is gone (the kernel released its lock); held while deleting.
                using (new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                {
                    foreach (string file in Directory.EnumerateFiles(folder).Where(f => f != lockPath))
                    {
                        File.Delete(file);
                    }
                }

                Directory.Delete(folder, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Locked by a live process, or being swept by another starting one.
            }
        }
    }
}
