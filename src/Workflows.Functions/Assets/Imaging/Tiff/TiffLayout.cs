using System.Globalization;
using SkiaSharp;

namespace Workflows.Assets.Imaging.Tiff;

/// <summary>How a colour sample maps onto the RGBA output.</summary>
internal enum TiffSampleRole
{
    Ignore,
    Gray,
    InvertedGray,
    PaletteIndex,
    Red,
    Green,
    Blue,
    Alpha,
}

/// <summary>
/// A validated description of a baseline TIFF's first page: how its pixels are stored and where. Built from the
/// header only; anything outside the supported subset is rejected here, before any pixel is decoded.
/// </summary>
internal sealed record TiffLayout(
    int Width,
    int Height,
    bool LittleEndian,
    uint Compression,
    int BitsPerSample,
    int SamplesPerPixel,
    bool Planar,
    bool Predictor,
    TiffSampleRole[] Roles,
    bool AssociatedAlpha,
    byte[]? Palette,
    bool Tiled,
    int SegmentWidth,
    int SegmentHeight,
    uint[] Offsets,
    uint[] ByteCounts,
    SKEncodedOrigin Origin)
{
    public bool HasAlpha => Roles.Contains(TiffSampleRole.Alpha);

    public int SegmentsAcross => (Width + SegmentWidth - 1) / SegmentWidth;

    public int SegmentsDown => (Height + SegmentHeight - 1) / SegmentHeight;

    /// <summary>Bytes in one decoded row of a segment (one plane of it when planar).</summary>
    public int RowBytes => (int)(((long)SegmentWidth * (Planar ? 1 : SamplesPerPixel) * BitsPerSample + 7) / 8);

    public static TiffLayout Read(TiffDirectory ifd, ImageLimits limits)
    {
        int width = (int)Math.Min(ifd.Single(256, 0), int.MaxValue);
        int height = (int)Math.Min(ifd.Single(257, 0), int.MaxValue);
        limits.EnsureWithin(width, height); // the bomb rule, before anything is sized from the header

        uint compression = ifd.Single(259, 1);
        if (compression is not (1 or 5 or 8 or 32946 or 32773))
        {
            throw TiffRejections.Compression(compression);
        }

        int samples = (int)ifd.Single(277, 1);
        uint photometric = ifd.Single(262, samples >= 3 ? 2u : 1u);
        int colourSamples = photometric switch
        {
            0 or 1 or 3 => 1,
            2 => 3,
            _ => throw TiffRejections.Photometric(photometric),
        };
        if (samples < colourSamples || samples > 4)
        {
            throw TiffRejections.Samples(string.Create(CultureInfo.InvariantCulture, $"{samples} channels"));
        }

        uint[] bits = ifd.Has(258) ? ifd.Values(258, 1, samples) : [1];
        int bitsPerSample = (int)bits[0];
        bool packed = bitsPerSample is 1 or 2 or 4 && samples == 1 && photometric != 2;
        if (bits.Any(b => b != bitsPerSample) || !(bitsPerSample is 8 or 16 || packed) || (photometric == 3 && bitsPerSample == 16))
        {
            throw TiffRejections.Samples(string.Create(CultureInfo.InvariantCulture, $"{bitsPerSample} bits per channel"));
        }

        if (ifd.Single(339, 1) != 1)
        {
            throw TiffRejections.Samples("floating-point or signed samples");
        }

        uint predictor = ifd.Single(317, 1);
        if (predictor is not 1 and not 2 || (predictor == 2 && bitsPerSample < 8) || ifd.Single(266, 1) != 1)
        {
            throw TiffRejections.Samples("a floating-point predictor, a predictor on packed pixels or a reversed bit order");
        }

        uint extra = samples > colourSamples && ifd.Has(338) ? ifd.Values(338, 1, 1)[0] : 0; // ExtraSamples: 1 associated, 2 unassociated alpha
        TiffSampleRole[] roles = SampleRoles(photometric, samples, alpha: extra is 1 or 2);
        byte[]? palette = photometric == 3 ? TiffPalette.Read(ifd, bitsPerSample) : null;
        bool planar = ifd.Single(284, 1) == 2 && samples > 1;
        (bool tiled, int segmentWidth, int segmentHeight, uint[] offsets, uint[] counts) =
            TiffSegments.Read(ifd, width, height, planar ? samples : 1, limits);
        uint orientation = ifd.Single(274, 1);
        return new TiffLayout(
            width, height, ifd.LittleEndian, compression, bitsPerSample, samples, planar, predictor == 2, roles, extra == 1,
            palette, tiled, segmentWidth, segmentHeight, offsets, counts, orientation is >= 1 and <= 8 ? (SKEncodedOrigin)orientation : SKEncodedOrigin.TopLeft);
    }

    private static TiffSampleRole[] SampleRoles(uint photometric, int samples, bool alpha)
    {
        var roles = new TiffSampleRole[samples];
        TiffSampleRole[] colour = photometric switch
        {
            0 => [TiffSampleRole.InvertedGray],
            1 => [TiffSampleRole.Gray],
            3 => [TiffSampleRole.PaletteIndex],
            _ => [TiffSampleRole.Red, TiffSampleRole.Green, TiffSampleRole.Blue],
        };
        colour.CopyTo(roles, 0);
        if (alpha)
        {
            roles[colour.Length] = TiffSampleRole.Alpha;
        }

        return roles;
    }
}
