using SkiaSharp;
using Workflows.Assets.Imaging.Png;

namespace Workflows.Assets.Imaging.Skia;

/// <summary>JPEG, PNG, WebP, GIF and BMP through Skia's codecs.</summary>
internal sealed class SkiaImageDecoder : ImageDecoder
{
    private readonly SKCodec _codec;
    private readonly SKData _content;
    private PngLayout? _png;
    private bool _pngWhole; // the one walk of a PNG's chunks (CRCs) to IEND: every check then follows their lengths
    private bool _pngRead;

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

    /// <summary>
    /// A PNG the row decoder reads (<see cref="PngLayout"/>) has its chunks checked here and its pixel stream as it is
    /// decoded (inflated once, never held at full size); every other original goes through <see cref="ImageIntegrity"/>.
    /// </summary>
    public override void Verify()
    {
        if (Format == ImageFormat.Png)
        {
            if (!ReadPngLayout())
            {
                throw ImageRejectedException.Corrupt();
            }

            // Inspection took the chunks after the image data from the file's end by their CRCs: they must be the file's.
            if (!PngExtent.ReadsAsWalked(_content.Span))
            {
                throw ImageRejectedException.ForeignPngChunks();
            }

            if (_png is null && !PngStructure.IsComplete(_content, _pngWhole))
            {
                throw ImageRejectedException.Corrupt(); // Skia decodes it: the pixel stream is checked here instead
            }

            return;
        }

        ImageIntegrity.Verify(_codec.EncodedFormat, _content);
    }

    public override SKBitmap Decode(int minUprightWidth, CancellationToken cancellationToken = default) => RowDecodable() is { } png
        ? PngRowDecoder.Decode(_content, png, PngRowDecoder.Factor(png, minUprightWidth, SkiaDecoding.SwapsAxes(Origin)), cancellationToken)
        : SkiaDecoding.Decode(_codec, minUprightWidth);

    public override SKSizeI DecodeSize(int minUprightWidth) => RowDecodable() is { } png
        ? PngRowDecoder.Size(png, PngRowDecoder.Factor(png, minUprightWidth, SkiaDecoding.SwapsAxes(Origin)))
        : SkiaDecoding.DecodeSize(_codec, minUprightWidth);

    // Decode without Verify (inspection, tests) reads the layout itself; an incomplete PNG then goes to Skia as before.
    private PngLayout? RowDecodable()
    {
        if (Format == ImageFormat.Png && !_pngRead)
        {
            ReadPngLayout();
        }

        return _png;
    }

    /// <summary>Reads the layout the row decoder would use; false when the chunks are not whole to IEND.</summary>
    private bool ReadPngLayout()
    {
        _pngWhole = PngChunk.WalkToEnd(_content.Span);
        (bool complete, PngLayout? layout) = PngLayout.Read(_content.Span, _pngWhole);

        // Never decode at a size other than the one ImageLimits checked (the codec's: the first IHDR).
        _png = layout is not null && (layout.Width, layout.Height) == (_codec.Info.Width, _codec.Info.Height) ? layout : null;
        _pngRead = true;
        return complete;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _codec.Dispose();
        }

        base.Dispose(disposing);
    }
}
