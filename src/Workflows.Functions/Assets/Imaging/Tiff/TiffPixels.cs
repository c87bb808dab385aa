using System.Buffers.Binary;

namespace Workflows.Assets.Imaging.Tiff;

/// <summary>
/// Walks a TIFF's strips or tiles (plane by plane when planar), decompressing a row at a time, undoing the
/// horizontal predictor and writing RGBA. With no target it only proves every segment decompresses in full.
/// </summary>
internal static class TiffPixels
{
    /// <summary>
    /// Decodes into <paramref name="rgba"/> (<paramref name="rowBytes"/> per image row, 4 bytes per pixel,
    /// premultiplied when the image has alpha), or only verifies when <paramref name="rgba"/> is empty.
    /// </summary>
    public static void Decode(TiffLayout layout, ArraySegment<byte> file, Span<byte> rgba, int rowBytes)
    {
        int perPlane = layout.SegmentsAcross * layout.SegmentsDown;
        int planes = layout.Planar ? layout.SamplesPerPixel : 1;
        var row = new byte[layout.RowBytes];
        var values = new byte[layout.SegmentWidth];
        for (int plane = 0; plane < planes; plane++)
        {
            for (int segment = 0; segment < perPlane; segment++)
            {
                int index = plane * perPlane + segment;
                int x0 = segment % layout.SegmentsAcross * layout.SegmentWidth;
                int y0 = segment / layout.SegmentsAcross * layout.SegmentHeight;
                int pixels = Math.Min(layout.SegmentWidth, layout.Width - x0);

                // Tiles are whole (padding included); strips stop at the image's last row.
                int rows = layout.Tiled ? layout.SegmentHeight : Math.Min(layout.SegmentHeight, layout.Height - y0);
                using TiffRowReader reader = TiffRowReader.Create(layout.Compression, file.Slice((int)layout.Offsets[index], (int)layout.ByteCounts[index]));
                for (int r = 0; r < rows; r++)
                {
                    if (!reader.TryRead(row))
                    {
                        throw ImageRejectedException.Corrupt();
                    }

                    int y = y0 + r;
                    if (rgba.IsEmpty || y >= layout.Height)
                    {
                        continue;
                    }

                    if (layout.Predictor)
                    {
                        UndoPredictor(layout, row);
                    }

                    TiffSamples.ToRgba(layout, row, layout.Planar ? plane : -1, rgba.Slice(y * rowBytes + x0 * 4, pixels * 4), values);
                }
            }
        }

        if (!rgba.IsEmpty && layout.HasAlpha)
        {
            Premultiply(rgba, layout.AssociatedAlpha);
        }
    }

    // Horizontal differencing: each sample is stored as the difference from the same sample one pixel left.
    private static void UndoPredictor(TiffLayout layout, Span<byte> row)
    {
        int stride = layout.Planar ? 1 : layout.SamplesPerPixel;
        int samples = layout.SegmentWidth * stride;
        if (layout.BitsPerSample == 8)
        {
            for (int i = stride; i < samples; i++)
            {
                row[i] += row[i - stride];
            }

            return;
        }

        for (int i = stride; i < samples; i++)
        {
            Span<byte> current = row.Slice(2 * i, 2);
            ReadOnlySpan<byte> left = row.Slice(2 * (i - stride), 2);
            if (layout.LittleEndian)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(current, (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(current) + BinaryPrimitives.ReadUInt16LittleEndian(left)));
            }
            else
            {
                BinaryPrimitives.WriteUInt16BigEndian(current, (ushort)(BinaryPrimitives.ReadUInt16BigEndian(current) + BinaryPrimitives.ReadUInt16BigEndian(left)));
            }
        }
    }

    // Skia wants premultiplied colour; associated alpha is premultiplied already, but must never exceed alpha.
    private static void Premultiply(Span<byte> rgba, bool associated)
    {
        for (int i = 0; i < rgba.Length; i += 4)
        {
            byte alpha = rgba[i + 3];
            for (int c = i; c < i + 3; c++)
            {
                rgba[c] = associated ? Math.Min(rgba[c], alpha) : (byte)((rgba[c] * alpha + 127) / 255);
            }
        }
    }
}
