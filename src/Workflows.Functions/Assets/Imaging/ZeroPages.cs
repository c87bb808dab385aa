using System.Runtime.InteropServices;
using SkiaSharp;

namespace Workflows.Assets.Imaging;

/// <summary>
/// Native blocks that read as zeros and take memory only where written: on Linux an anonymous private mapping, whose
/// pages are the kernel's shared zero page until written; elsewhere memory zeroed by hand. For a file of which only
/// some parts were read (inspection's view of a WebP): the codec needs it whole and contiguous, but never reads the
/// image data between the parts.
/// </summary>
internal static class ZeroPages
{
    private const int ProtRead = 0x1;
    private const int ProtWrite = 0x2;
    private const int MapPrivate = 0x02;
    private const int MapAnonymous = 0x20;

    /// <summary>A block of <paramref name="length"/> zeros, handed to <paramref name="fill"/> before it is shared.</summary>
    public static SKData Create(int length, Action<IntPtr> fill)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentNullException.ThrowIfNull(fill);
        IntPtr block;
        SKDataReleaseDelegate release;
        if (OperatingSystem.IsLinux())
        {
            block = NativeMethods.mmap(IntPtr.Zero, (nuint)length, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
            if (block == -1)
            {
                throw new InsufficientMemoryException($"Could not map {length} bytes (errno {Marshal.GetLastPInvokeError()}).");
            }

            release = static (address, context) => _ = NativeMethods.munmap(address, (nuint)(int)context); // fails only on a bad range
        }
        else
        {
            block = Marshal.AllocHGlobal(length);
            byte[] zeros = new byte[Math.Min(length, 81_920)];
            for (int at = 0; at < length; at += zeros.Length)
            {
                Marshal.Copy(zeros, 0, block + at, Math.Min(zeros.Length, length - at));
            }

            release = static (address, _) => Marshal.FreeHGlobal(address);
        }

        try
        {
            fill(block);
            return SKData.Create(block, length, release, length);
        }
        catch
        {
            release(block, length);
            throw;
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern IntPtr mmap(IntPtr address, nuint length, int protection, int flags, int fd, nint offset);

        [DllImport("libc")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int munmap(IntPtr address, nuint length);
    }
}
