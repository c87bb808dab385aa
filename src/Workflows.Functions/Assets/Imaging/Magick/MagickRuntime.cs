using ImageMagick;
using ImageMagick.Configuration;

namespace Workflows.Assets.Imaging.Magick;

/// <summary>
/// ImageMagick's process-wide setup, done once before its first use: a security policy that enables only the
/// coders we accept (no delegates that shell out, no other coder such as SVG, MSL, text or URL, no
/// <c>@file</c> indirection, so nothing in an image can make it read a file or the network), a temp folder of the
/// app's own (<see cref="MagickTemporaryFiles"/>), and resource limits that keep a large image's pixels out of the
/// process's memory and back up the header check (<see cref="ImageLimits"/>) should a coder size its pixels from
/// something else.
/// </summary>
internal static class MagickRuntime
{
    /// <summary>The ImageMagick coders the app uses; everything else is refused by the policy.</summary>
    public const string Coders = "{HEIC,HEIF,AVIF,JXL,TIFF,TIF,TIFF64,PSD,PSB,DNG,CR2,CR3,NEF,ARW}";

    /// <summary>Wall-clock limit per image (ImageMagick checks it as it fills the pixel cache).</summary>
    public const int MaxDecodeSeconds = 120;

    /// <summary>
    /// Images of this many pixels or more keep their pixel cache in a temp file instead of memory (2^22, 4.2 MP: a
    /// 12 MP decode goes to disk, its 1/2-scale copy for a 1600 px rendition stays in memory).
    /// </summary>
    public const long MemoryCachePixels = 1L << 22;

    /// <summary>
    /// Bytes per pixel the disk budget allows for one image: its pixel cache at the widest pixel a coder gives us
    /// (8-bit CMYK plus alpha, 5 bytes) and, while it is converted to sRGB at full size, the converted copy (RGB plus
    /// alpha, 4 bytes), which ImageMagick allocates before it lets the first go.
    /// </summary>
    public const int DiskBytesPerPixel = 9;

    /// <summary>The coder WebP renditions are written with (from bare pixels); never read through ImageMagick.</summary>
    public const string RenditionCoders = "{WEBP}";

    // Before the policy, which names it.
    private static readonly string TemporaryFolder = MagickTemporaryFiles.Create();

    // Write rights on the same coders: the app writes AVIF renditions, and the tests author their fixtures with
    // them; WebP renditions are written only. No coder outside the lists can be reached either way.
    private static readonly string Policy = $"""
        <policymap>
          <policy domain="delegate" rights="none" pattern="*" />
          <policy domain="coder" rights="none" pattern="*" />
          <policy domain="coder" rights="read | write" pattern="{Coders}" />
          <policy domain="coder" rights="write" pattern="{RenditionCoders}" />
          <policy domain="path" rights="none" pattern="@*" />
          <policy domain="cache" name="memory-map" value="anonymous" />
          <policy domain="resource" name="map" value="0" />
          <policy domain="resource" name="temporary-path" value="{TemporaryFolder}" />
        </policymap>
        """;

    private static readonly Lazy<bool> Initialized = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Installs the policy and default limits; call before anything else touches ImageMagick.</summary>
    public static void EnsureInitialized() => _ = Initialized.Value;

    /// <summary>
    /// Sizes ImageMagick's limits from ours. Width and height at 65,535, so the header check can say how large an
    /// oversized image is. An image of up to <see cref="MemoryCachePixels"/> (ImageMagick's area limit) keeps its
    /// pixel cache in memory, bounded as before at 8 bytes per pixel of <paramref name="limits"/> per decode; a larger
    /// one keeps it in a file in <see cref="MagickTemporaryFiles.Folder"/>, read and written a band of rows at a time
    /// (never memory-mapped: the policy allows no map), so its pages are the kernel's file cache and not the process's.
    /// The disk is bounded by what the decode limiter lets in at once (<paramref name="maxConcurrentDecodes"/> slots
    /// of 12 MP, or one image of <see cref="ImageLimits.MaxPixels"/>) at <see cref="DiskBytesPerPixel"/>; a coder that
    /// sizes an image past it fails instead of filling the disk, and the decoder rejects any image the read made larger
    /// than the limits allow. One thread per decode, since the decode limiter already runs them in parallel.
    /// </summary>
    public static void ApplyLimits(ImageLimits limits, int maxConcurrentDecodes)
    {
        ArgumentNullException.ThrowIfNull(limits);
        EnsureInitialized();
        SetLimits(limits, maxConcurrentDecodes);
    }

    private static void SetLimits(ImageLimits limits, int maxConcurrentDecodes)
    {
        ulong pixels = (ulong)limits.MaxPixels;
        ResourceLimits.Width = ushort.MaxValue;
        ResourceLimits.Height = ushort.MaxValue;
        ResourceLimits.Area = (ulong)MemoryCachePixels;
        ResourceLimits.Memory = pixels * 8 * (ulong)maxConcurrentDecodes;
        ResourceLimits.MaxMemoryRequest = pixels * 8;
        ResourceLimits.Disk = DiskBudget(limits, maxConcurrentDecodes);
        ResourceLimits.Thread = 1;
        ResourceLimits.Time = MaxDecodeSeconds;
        ResourceLimits.ListLength = 64;
        ResourceLimits.MaxProfileSize = 16 << 20;
    }

    /// <summary>The bytes of pixel cache the temp folder may hold at once (see <see cref="ApplyLimits"/>).</summary>
    public static ulong DiskBudget(ImageLimits limits, int maxConcurrentDecodes)
    {
        ArgumentNullException.ThrowIfNull(limits);
        long pixels = Math.Max(limits.MaxPixels, maxConcurrentDecodes * DecodeLimiter.PixelsPerSlot);
        return (ulong)pixels * DiskBytesPerPixel;
    }

    private static bool Initialize()
    {
        IConfigurationFiles configuration = ConfigurationFiles.Default;
        configuration.Policy.Data = Policy;
        MagickNET.Initialize(configuration);
        SetLimits(ImageLimits.Default, DecodeLimiter.DefaultMaxConcurrentDecodes);
        return true;
    }
}
