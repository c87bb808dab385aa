using ImageMagick;
using ImageMagick.Configuration;

namespace Workflows.Assets.Imaging.Magick;

/// <summary>
/// ImageMagick's process-wide setup, done once before its first use: a security policy that enables only the
/// coders we accept (no delegates that shell out, no other coder such as SVG, MSL, text or URL, no
/// <c>@file</c> indirection, so nothing in an image can make it read a file or the network), and resource limits
/// that back up the header check (<see cref="ImageLimits"/>) should a coder size its pixels from something else.
/// </summary>
internal static class MagickRuntime
{
    /// <summary>The ImageMagick coders the app uses; everything else is refused by the policy.</summary>
    public const string Coders = "{HEIC,HEIF,AVIF,JXL,TIFF,TIF,TIFF64,PSD,PSB,DNG,CR2,CR3,NEF,ARW}";

    /// <summary>Wall-clock limit per image (ImageMagick checks it as it fills the pixel cache).</summary>
    public const int MaxDecodeSeconds = 120;

    /// <summary>Read only: a progressive JPEG's pixels (<see cref="MagickJpeg"/>); Skia reads every other JPEG.</summary>
    public const string PixelCoders = "{JPEG,JPG}";

    /// <summary>The coder WebP renditions are written with (from bare pixels); never read through ImageMagick.</summary>
    public const string RenditionCoders = "{WEBP}";

    // Write rights on the same coders: the app writes AVIF renditions, and the tests author their fixtures with
    // them; WebP renditions are written only. No coder outside the lists can be reached either way.
    private static readonly string Policy = $"""
        <policymap>
          <policy domain="delegate" rights="none" pattern="*" />
          <policy domain="coder" rights="none" pattern="*" />
          <policy domain="coder" rights="read | write" pattern="{Coders}" />
          <policy domain="coder" rights="read" pattern="{PixelCoders}" />
          <policy domain="coder" rights="write" pattern="{RenditionCoders}" />
          <policy domain="path" rights="none" pattern="@*" />
          <policy domain="cache" name="memory-map" value="anonymous" />
        </policymap>
        """;

    private static readonly Lazy<bool> Initialized = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Installs the policy and default limits; call before anything else touches ImageMagick.</summary>
    public static void EnsureInitialized() => _ = Initialized.Value;

    /// <summary>
    /// Sizes ImageMagick's limits from ours: pixels per image as <paramref name="limits"/> allows (checked when the
    /// pixels are allocated, so a header that lies about the size still cannot get more); width and height at
    /// 65,535, so the header check can say how large an oversized image is;
    /// pixel-cache memory for <paramref name="maxConcurrentDecodes"/> such images at 8 bytes per pixel (the image
    /// plus a colour-converted or scaled copy); no disk cache, so an image that does not fit fails instead of
    /// spilling to disk; one thread per decode, since the decode limiter already runs them in parallel.
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
        ResourceLimits.Area = pixels;
        ResourceLimits.Memory = pixels * 8 * (ulong)maxConcurrentDecodes;
        ResourceLimits.MaxMemoryRequest = pixels * 8;
        ResourceLimits.Disk = 0;
        ResourceLimits.Thread = 1;
        ResourceLimits.Time = MaxDecodeSeconds;
        ResourceLimits.ListLength = 64;
        ResourceLimits.MaxProfileSize = 16 << 20;
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
