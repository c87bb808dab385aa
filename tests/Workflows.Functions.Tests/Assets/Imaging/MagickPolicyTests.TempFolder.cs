using System.Runtime.InteropServices;
using SkiaSharp;
using Workflows.Assets.Imaging;
using Workflows.Assets.Imaging.Magick;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>
/// ImageMagick's temp folder when the disk will not take a file (<see cref="MagickErrors"/>, <see cref="MagickTemporaryFiles"/>):
/// the host's trouble, so the activity fails and is retried (its retries are bounded, then the asset fails with a reason
/// and the original is kept), rather than the image being rejected as corrupt. Probed in the fresh process, whose
/// file-size limit (RLIMIT_FSIZE) stands in for a full disk: every write past it fails as one on a full disk would
/// (EFBIG instead of ENOSPC).
/// </summary>
public sealed partial class MagickPolicyTests
{
    [Fact]
    public async Task Decode_DiskFullForTheLargeImagesPixelCache_RetryableIOExceptionNotARejection()
    {
        // Act: a 4.4 MP JPEG XL, whose pixel cache is a temp file, decoded while no file may grow past 512 bytes.
        var outcomes = await FreshProcess.Value;

        // Assert
        Assert.StartsWith("IOException", outcomes["full-disk-decode"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_DiskFullForTheHeicCodersCopyOfTheFile_RetryableIOExceptionNotARejection()
    {
        // Act: a HEIC (1.1 KB), which ImageMagick's coder reads from a copy in the temp folder, opened likewise.
        var outcomes = await FreshProcess.Value;

        // Assert
        Assert.StartsWith("IOException", outcomes["full-disk-open"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_TempFolderDeletedByACleaner_RecreatedAndTheHeicDecodes()
    {
        // Act: the process's folder deleted (as a temp cleaner would), then a HEIC opened and decoded in a working
        // directory nothing can be written to.
        var outcomes = await FreshProcess.Value;

        // Assert
        Assert.Equal("decoded", outcomes["folder-deleted-open"]);
    }

    [Fact]
    public async Task Decode_CmykImageWithinTheLimitsConvertedAtFullSize_FitsTheDiskBudget()
    {
        // Act: the budget of one 12 MP decode slot, a 9 MP CMYK TIFF (36 MB of pixel cache) decoded at full size and
        // turned sRGB (27 MB more, allocated before the CMYK cache is let go).
        var outcomes = await FreshProcess.Value;

        // Assert: an image within the pixel limit fits the budget, its colour conversion included (at 5 bytes a pixel
        // the budget was 60 MB, and the conversion found it exhausted).
        Assert.Equal("decoded", outcomes["cmyk-full-size"]);
    }

    // It shrinks the process's limits (the probes after it run with them) to one 12 MP decode slot, then decodes a
    // 9 MP CMYK TIFF at full size, so its conversion to sRGB is made on the full image.
    private static void ProbeOwnConversionBudget(Dictionary<string, string> outcomes)
    {
        byte[] cmyk = TestImages.CmykJpegTiff(3000, 3000, "Heidelberg", "Linoscan 1400", DateTime.UnixEpoch);
        MagickRuntime.ApplyLimits(new ImageLimits(MaxPixels: 12_000_000), maxConcurrentDecodes: 1);
        outcomes["cmyk-full-size"] = DecodeOutcome(cmyk, ImageFormat.Tiff, minUprightWidth: 3000);
    }

    private static void ProbeFullDisk(Dictionary<string, string> outcomes, byte[] largeJxl)
    {
        byte[] heic = TestFiles.Read(TestFiles.PhonePortraitHeic);
        using (FileSizeLimit.Of(512))
        {
            outcomes["full-disk-decode"] = DecodeOutcome(largeJxl, ImageFormat.JpegXl);
            outcomes["full-disk-open"] = DecodeOutcome(heic, ImageFormat.Heic);
            outcomes["full-disk-encode-webp"] = EncodeOutcome(RenditionFormat.Webp, 2200, 2000);
            outcomes["full-disk-encode-webp-small"] = EncodeOutcome(RenditionFormat.Webp, 2000, 2000);
            outcomes["full-disk-encode-avif-small"] = EncodeOutcome(RenditionFormat.Avif, 200, 200);
        }

        // Without its folder ImageMagick writes to the working directory, which the app may not write to (a read-only
        // package mount; here /proc, which not even root can write to).
        Directory.Delete(MagickTemporaryFiles.Folder, recursive: true);
        string workingDirectory = Environment.CurrentDirectory;
        Environment.CurrentDirectory = "/proc";
        try
        {
            outcomes["folder-deleted-open"] = DecodeOutcome(heic, ImageFormat.Heic);
        }
        finally
        {
            Environment.CurrentDirectory = workingDirectory;
        }

    }

    /// <summary>"decoded", or the exception's type and its inner exception's message (ImageMagick's words).</summary>
    private static string DecodeOutcome(byte[] file, ImageFormat format, int minUprightWidth = 1000, ImageLimits? limits = null)
    {
        try
        {
            using var data = SKData.CreateCopy(file);
            using var decoder = MagickImageDecoder.Open(data, format, limits ?? ImageLimits.Default);
            using SKBitmap bitmap = decoder.Decode(minUprightWidth);
            return "decoded";
        }
        catch (Exception ex) when (ex is IOException or ImageRejectedException)
        {
            return $"{ex.GetType().Name}: {ex.InnerException?.Message}";
        }
    }

    private static string EncodeOutcome(RenditionFormat format, int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Opaque));
        var noise = new byte[bitmap.ByteCount]; // no encoding of noise fits the file-size limit
        new Random(7).NextBytes(noise);
        Marshal.Copy(noise, 0, bitmap.GetPixels(), noise.Length);
        try
        {
            RenditionRenderer.Encode(bitmap, format, 80).Dispose();
            return "encoded";
        }
        catch (Exception ex)
        {
            return $"{ex.GetType().Name}: {ex.Message}";
        }
    }

    /// <summary>This process's largest file (RLIMIT_FSIZE) lowered until disposed; SIGXFSZ ignored, so a write past it fails.</summary>
    private sealed class FileSizeLimit : IDisposable
    {
        private const int RlimitFsize = 1;
        private const int Sigxfsz = 25;
        private readonly Rlimit _before;

        private FileSizeLimit(ulong bytes)
        {
            Assert.Equal(0, getrlimit(RlimitFsize, out _before));
            _ = signal(Sigxfsz, new IntPtr(1)); // SIG_IGN
            var lowered = new Rlimit { Current = bytes, Maximum = _before.Maximum };
            Assert.Equal(0, setrlimit(RlimitFsize, ref lowered));
        }

        public static FileSizeLimit Of(ulong bytes) => new(bytes);

        public void Dispose()
        {
            var restored = _before;
            Assert.Equal(0, setrlimit(RlimitFsize, ref restored));
        }

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern int getrlimit(int resource, out Rlimit limit);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern int setrlimit(int resource, ref Rlimit limit);

        [DllImport("libc")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern IntPtr signal(int signal, IntPtr handler);

        [StructLayout(LayoutKind.Sequential)]
        private struct Rlimit
        {
            public ulong Current;
            public ulong Maximum;
        }
    }
}
