using SkiaSharp;

namespace Workflows.Assets.Imaging.Tiff;

/// <summary>
/// Baseline TIFF (first page), decoded in managed code because Skia has no TIFF codec: classic little- or big-endian
/// files; uncompressed, LZW, Deflate or PackBits, with the horizontal predictor; greyscale (1-16 bits), palette or
/// RGB, with or without alpha; strips or tiles, chunky or planar. Anything else is rejected with what to do instead.
/// </summary>
internal sealed class TiffImageDecoder : ImageDecoder
{
    private readonly TiffLayout _layout;
    private readonly ArraySegment<byte> _file;

    private TiffImageDecoder(TiffLayout layout, ArraySegment<byte> file)
    {
        _layout = layout;
        _file = file;
    }

    public override ImageFormat Format => ImageFormat.Tiff;

    public override SKSizeI Size => new(_layout.Width, _layout.Height);

    public override SKEncodedOrigin Origin => _layout.Origin;

    /// <summary>Reads the header only; the dimensions meet the limits before anything is sized from them.</summary>
    public static TiffImageDecoder Open(ArraySegment<byte> file, ImageLimits limits) =>
        new(TiffLayout.Read(TiffDirectory.Read(file), limits), file);

    /// <summary>Decompresses every strip or tile in full, a row at a time, without building the bitmap.</summary>
    public override void Verify() => TiffPixels.Decode(_layout, _file, [], 0);

    /// <summary>Always full scale: TIFF has no reduced-scale decode (memory is 4 bytes per pixel, like PNG).</summary>
    public override SKBitmap Decode(int minUprightWidth)
    {
        SKAlphaType alpha = _layout.HasAlpha ? SKAlphaType.Premul : SKAlphaType.Opaque;
        var bitmap = new SKBitmap(new SKImageInfo(_layout.Width, _layout.Height, SKColorType.Rgba8888, alpha, SKColorSpace.CreateSrgb()));
        try
        {
            TiffPixels.Decode(_layout, _file, bitmap.GetPixelSpan(), bitmap.RowBytes);
            bitmap.SetImmutable();
            return bitmap;
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }
}
