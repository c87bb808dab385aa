using ImageMagick;
using ImageMagick.Formats;
using SkiaSharp;

namespace Workflows.Assets.Imaging.Magick;

/// <summary>
/// HEIC/HEIF, AVIF, JPEG XL, TIFF, PSD and camera RAW through Magick.NET (libheif, libjxl, libtiff, libraw).
/// Opening pings the header only; every decode reads the first page (PSD: the flattened composite) and hands Skia
/// an sRGB bitmap, so orientation, resizing and encoding are the same as for the Skia formats.
/// </summary>
internal sealed class MagickImageDecoder : ImageDecoder
{
    private readonly SKData _file;
    private readonly MagickReadSettings _settings;
    private readonly ImageLimits _limits;
    private readonly uint _bytesPerPixel;

    private MagickImageDecoder(SKData file, ImageFormat format, MagickReadSettings settings, ImageLimits limits, IMagickImage ping)
    {
        _file = file;
        _settings = settings;
        _limits = limits;
        _bytesPerPixel = Math.Max(ping.ChannelCount + 4, MagickRuntime.DiskBytesPerPixel); // 8-bit channels, and sRGB's
        Format = format;
        Size = new SKSizeI((int)ping.Width, (int)ping.Height);

        // libheif has already applied the container's rotation and mirror, so a HEIF's EXIF orientation is stale.
        bool upright = format is ImageFormat.Heic or ImageFormat.Heif or ImageFormat.Avif;
        Origin = upright ? SKEncodedOrigin.TopLeft
            : ImageFormats.IsCameraRaw(format) ? RawOrigin(ping.Orientation)
            : ping.Orientation is < Orientation.TopLeft or > Orientation.LeftBottom ? SKEncodedOrigin.TopLeft
            : (SKEncodedOrigin)ping.Orientation;
        Exif = ping.GetExifProfile()?.ToByteArray();
        Xmp = ping.GetXmpProfile()?.ToByteArray();
    }

    public override ImageFormat Format { get; }

    public override SKSizeI Size { get; }

    public override SKEncodedOrigin Origin { get; }

    public override byte[]? Exif { get; }

    public override byte[]? Xmp { get; }

    /// <summary>
    /// Pings the header (no pixel decoded), checks the dimensions against <paramref name="limits"/>, then that the
    /// file holds everything its container promises (<see cref="ContainerStructure"/>), which the codecs forgive.
    /// </summary>
    public static MagickImageDecoder Open(SKData file, ImageFormat format, ImageLimits limits)
    {
        MagickRuntime.EnsureInitialized();
        MagickTemporaryFiles.EnsureFolder(); // the HEIC/AVIF and raw coders ping a copy of the file written there
        MagickReadSettings settings = Settings(format);
        using var ping = new MagickImage();
        MagickErrors.Guard(() => ping.Ping(file.Span, settings));
        limits.EnsureWithin((int)Math.Min(ping.Width, int.MaxValue), (int)Math.Min(ping.Height, int.MaxValue));
        EnsureDevelopedWithin(limits, format, file.Span, ping.Width, ping.Height);
        if (!ContainerStructure.IsComplete(format, file.Span))
        {
            throw ImageRejectedException.Corrupt();
        }

        return new MagickImageDecoder(file, format, settings, limits, ping);
    }

    /// <summary>
    /// A raw in a TIFF container is developed at its DefaultScale (<see cref="TiffContainer.PixelAspect"/>), which the
    /// ping does not apply: libraw stretches the image by up to 10× in its own memory, past every ImageMagick limit,
    /// so the stretched size is checked too (libraw's own threshold: a scale within 0.5% of 1 is none).
    /// </summary>
    private static void EnsureDevelopedWithin(ImageLimits limits, ImageFormat format, ReadOnlySpan<byte> file, uint width, uint height)
    {
        if (format is not (ImageFormat.Dng or ImageFormat.Cr2 or ImageFormat.Nef or ImageFormat.Arw))
        {
            return;
        }

        double aspect = TiffContainer.PixelAspect(file);
        if (aspect is > 0.995 and < 1.005)
        {
            return;
        }

        double developedWidth = aspect > 1 ? Math.Round(width * aspect) : width;
        double developedHeight = aspect < 1 ? Math.Round(height / aspect) : height;
        limits.EnsureWithin((int)Math.Min(developedWidth, int.MaxValue), (int)Math.Min(developedHeight, int.MaxValue));
    }

    /// <summary>
    /// Nothing beyond <see cref="Open"/>'s container check: <see cref="Decode"/> reads the whole image at full size
    /// through the same call a verifying decode would make, and fails where it would (the libraries have no row-by-row
    /// check, so a separate verification was a second full decode).
    /// </summary>
    public override void Verify()
    {
    }

    /// <summary>
    /// Decodes at full size (none of these codecs decodes at reduced scale; a full-size image's pixel cache is a temp
    /// file, see <see cref="MagickRuntime"/>, deleted when the image is disposed), then box-averages down by a whole
    /// factor while the upright width stays at least <paramref name="minUprightWidth"/>, converts to sRGB and
    /// copies the pixels into a Skia bitmap a band of rows at a time.
    /// </summary>
    public override SKBitmap Decode(int minUprightWidth, CancellationToken cancellationToken = default)
    {
        MagickTemporaryFiles.EnsureFolder();

        // An image whose header fits the disk budget alone (its channels and their sRGB conversion, at least the 9 bytes
        // the budget allows for) and still finds the budget exhausted met other images' pixel caches there: the
        // activity fails and is retried rather than the image rejected. One that cannot fit alone is rejected.
        bool fits = (ulong)Size.Width * (ulong)Size.Height * _bytesPerPixel < ResourceLimits.Disk;
        using MagickImage image = Read(_settings, fits);

        // The pixel cache is no longer capped per image (a large one goes to disk, bounded as a whole): a coder that
        // made the image larger than its header said is rejected here.
        _limits.EnsureWithin((int)Math.Min(image.Width, int.MaxValue), (int)Math.Min(image.Height, int.MaxValue));
        uint uprightWidth = SwapsAxes ? image.Height : image.Width;
        uint factor = Math.Max(1, uprightWidth / (uint)Math.Max(1, minUprightWidth));
        if (factor > 1)
        {
            MagickErrors.Guard(() => image.Scale((image.Width + factor - 1) / factor, (image.Height + factor - 1) / factor), fits);
        }

        MagickErrors.Guard(() => MagickColour.ToSrgb(image), fits);
        return MagickColour.ToBitmap(image);
    }

    /// <summary>The full size: the scale-down comes after the decode.</summary>
    public override SKSizeI DecodeSize(int minUprightWidth) => Size;

    private bool SwapsAxes => (int)Origin >= 5;

    /// <summary>
    /// libraw leaves a raw unrotated and reports its flip (1 mirrors columns, 2 mirrors rows, 4 transposes; 5 stands
    /// for EXIF 8), which ImageMagick passes on as if it were an EXIF orientation: right for the turns (3, 6, 8) and
    /// transverse (7), wrong for the mirrored ones. This maps what ImageMagick reports back to EXIF's meaning.
    /// </summary>
    private static SKEncodedOrigin RawOrigin(Orientation reported) => reported switch
    {
        Orientation.TopLeft => SKEncodedOrigin.TopRight,        // flip 1: EXIF 2, mirrored
        Orientation.TopRight => SKEncodedOrigin.BottomLeft,     // flip 2: EXIF 4, mirrored upside down
        Orientation.BottomRight => SKEncodedOrigin.BottomRight, // flip 3: EXIF 3
        Orientation.BottomLeft => SKEncodedOrigin.LeftTop,      // flip 4: EXIF 5, transposed
        Orientation.RightTop => SKEncodedOrigin.RightTop,       // flip 6: EXIF 6
        Orientation.RightBottom => SKEncodedOrigin.RightBottom, // flip 7: EXIF 7
        Orientation.LeftBottom => SKEncodedOrigin.LeftBottom,   // flip 5: EXIF 8
        _ => SKEncodedOrigin.TopLeft,                           // flip 0
    };

    private MagickImage Read(MagickReadSettings settings, bool fitsTheDiskBudget)
    {
        var image = new MagickImage();
        try
        {
            MagickErrors.Guard(() => image.Read(_file.Span, settings), fitsTheDiskBudget);
            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    // The format is always named, so ImageMagick never guesses a coder from the content; one frame only.
    // A raw is demosaiced with PPG rather than libraw's default AHD: 35-40% less CPU per decode of a 12 MP raw, and
    // its 800 px rendition within 0.05 dB PSNR of AHD's (README, Performance); the renditions are at least 2× smaller.
    private static MagickReadSettings Settings(ImageFormat format)
    {
        var settings = new MagickReadSettings { Format = MagickFormats.Of(format), FrameIndex = 0, FrameCount = 1 };
        if (ImageFormats.IsCameraRaw(format))
        {
            // libraw's own cap on the raw buffer (default 8 GB); a 100 MP sensor at 16 bits is 200 MB.
            settings.SetDefines(new DngReadDefines { MaxRawMemory = 512, InterpolationQuality = DngInterpolation.Ppg });
        }

        return settings;
    }
}
