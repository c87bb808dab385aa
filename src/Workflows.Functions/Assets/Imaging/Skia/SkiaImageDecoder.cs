using SkiaSharp;

namespace Workflows.Assets.Imaging.Skia;

/// <summary>JPEG, PNG, WebP, GIF and BMP through Skia's codecs.</summary>
internal sealed class SkiaImageDecoder : ImageDecoder
{
    private readonly SKCodec _codec;
    private readonly MemoryStream _content;

    private SkiaImageDecoder(SKCodec codec, MemoryStream content, ImageFormat format)
    {
        _codec = codec;
        _content = content;
        Format = format;
    }

    public override ImageFormat Format { get; }

    public override SKSizeI Size => _codec.Info.Size;

    public override SKEncodedOrigin Origin => _codec.EncodedOrigin;

    /// <summary>Reads only the header; the codec reads from <paramref name="content"/> until disposed.</summary>
    public static SkiaImageDecoder Open(MemoryStream content, ImageFormat format, string detected, ImageLimits limits)
    {
        SKCodec? codec = SKCodec.Create(content, out SKCodecResult result);
        if (codec is null || SkiaDecoding.ToImageFormat(codec.EncodedFormat) != format)
        {
            codec?.Dispose();
            throw result == SKCodecResult.Success ? ImageRejectedException.Unsupported(detected) : ImageRejectedException.Corrupt();
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

    public override void Verify() => ImageIntegrity.Verify(_codec, Bytes(_content));

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
