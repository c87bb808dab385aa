using SkiaSharp;

namespace Workflows.Assets.Imaging.Skia;

/// <summary>JPEG, PNG, WebP, GIF and BMP through Skia's codecs.</summary>
internal sealed class SkiaImageDecoder : ImageDecoder
{
    private readonly SKCodec _codec;
    private readonly SKData _content;

    private SkiaImageDecoder(SKCodec codec, SKData content, ImageFormat format)
    {
        _codec = codec;
        _content = content;
        Format = format;
    }

    public override ImageFormat Format { get; }

    public override SKSizeI Size => _codec.Info.Size;

    public override SKEncodedOrigin Origin => _codec.EncodedOrigin;

    /// <summary>
    /// Reads only the header; the codec reads <paramref name="content"/> in place (native memory: no copy through a
    /// managed stream) and holds a reference to it until disposed.
    /// </summary>
    public static SkiaImageDecoder Open(SKData content, ImageFormat format, string detected, ImageLimits limits)
    {
        // The sniffer named a format Skia reads, so a codec that cannot start means a broken header.
        SKCodec codec = SKCodec.Create(content) ?? throw ImageRejectedException.Corrupt();
        if (SkiaDecoding.ToImageFormat(codec.EncodedFormat) != format)
        {
            codec.Dispose();
            throw ImageRejectedException.Unsupported(detected);
        }

        try
        {
            limits.EnsureWithin(codec.Info.Width, codec.Info.Height);
            return new SkiaImageDecoder(codec, content, format);
        }
        catch
        {
            codec.Dispose();
            throw;
        }
    }

    public override void Verify() => ImageIntegrity.Verify(_codec.EncodedFormat, _content);

    public override SKBitmap Decode(int minUprightWidth) => SkiaDecoding.Decode(_codec, minUprightWidth);

    public override SKSizeI DecodeSize(int minUprightWidth) => SkiaDecoding.DecodeSize(_codec, minUprightWidth);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _codec.Dispose();
        }

        base.Dispose(disposing);
    }
}
