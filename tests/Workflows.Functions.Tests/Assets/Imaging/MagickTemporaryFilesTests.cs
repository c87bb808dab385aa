using Workflows.Assets.Imaging.Magick;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>
/// What a process that died leaves in ImageMagick's temp folder (pixel caches of large images, raw copies) is deleted
/// by the next one that starts, and a live process's folder is left alone (<see cref="MagickTemporaryFiles"/>).
/// </summary>
public sealed class MagickTemporaryFilesTests : IDisposable
{
    private readonly string _folder = Path.Combine(MagickTemporaryFiles.Root, $"test-{Guid.NewGuid():N}");

    [Fact]
    public void SweepAbandoned_FolderWhoseLockNobodyHolds_DeletedWithItsFiles()
    {
        // Arrange: what a killed process leaves: its lock file (the kernel dropped the lock) and a pixel cache.
        Directory.CreateDirectory(_folder);
        File.WriteAllBytes(Path.Combine(_folder, ".lock"), []);
        File.WriteAllBytes(Path.Combine(_folder, "magick-abandoned"), new byte[4096]);

        // Act
        MagickTemporaryFiles.SweepAbandoned();

        // Assert
        Assert.False(Directory.Exists(_folder));
    }

    [Fact]
    public void SweepAbandoned_DeadProcessFolderNamedWithALivePid_DeletedSinceItsLockIsFree()
    {
        // Arrange: a folder left by a process that died, whose pid a live process now has (a container's pids start
        // again from 1 at every restart): named with this very process's pid, its lock held by nobody.
        string reused = Path.Combine(MagickTemporaryFiles.Root, $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(reused);
        File.WriteAllBytes(Path.Combine(reused, ".lock"), []);
        File.WriteAllBytes(Path.Combine(reused, "magick-abandoned"), new byte[4096]);

        try
        {
            // Act
            MagickTemporaryFiles.SweepAbandoned();

            // Assert: the lock decides, not the pid.
            Assert.False(Directory.Exists(reused));
        }
        finally
        {
            if (Directory.Exists(reused))
            {
                Directory.Delete(reused, recursive: true);
            }
        }
    }

    [Fact]
    public void SweepAbandoned_FolderOfALiveProcess_Kept()
    {
        // Arrange: a process holding its lock while it decodes.
        Directory.CreateDirectory(_folder);
        using var held = new FileStream(Path.Combine(_folder, ".lock"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        string cache = Path.Combine(_folder, "magick-in-use");
        File.WriteAllBytes(cache, new byte[4096]);

        // Act
        MagickTemporaryFiles.SweepAbandoned();

        // Assert
        Assert.True(File.Exists(cache));
    }

    [Fact]
    public void Create_ThisProcess_OwnFolderLockedAgainstSweeping()
    {
        // Arrange: the app's start (ImageMagick's setup creates the folder).
        MagickRuntime.EnsureInitialized();

        // Act
        MagickTemporaryFiles.SweepAbandoned();

        // Assert
        Assert.StartsWith(MagickTemporaryFiles.Root, MagickTemporaryFiles.Folder, StringComparison.Ordinal);
        Assert.True(Directory.Exists(MagickTemporaryFiles.Folder));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
