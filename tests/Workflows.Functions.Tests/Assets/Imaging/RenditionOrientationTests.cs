using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using SkiaSharp;
using Workflows.Assets.Imaging;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets.Imaging;

public sealed class RenditionOrientationTests
{
    // The marker sits in the stored top-left corner; where it must appear once the photo is upright.
    private static readonly (int Orientation, bool Right, bool Bottom)[] MarkerCorners =
    [
        (1, false, false), (2, true, false), (3, true, true), (4, false, true),
        (5, false, false), (6, true, false), (7, true, true), (8, false, true),
    ];

    public static TheoryData<int, bool, bool> Orientations
    {
        get
        {
            TheoryData<int, bool, bool> data = [];
            foreach (var (orientation, right, bottom) in MarkerCorners)
            {
                data.Add(orientation, right, bottom);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Orientations))]
    public async Task RenderChain_ExifOrientation_ComesOutUpright(int orientation, bool markerRight, bool markerBottom)
    {
        // Arrange: stored 400 × 300; orientations 5-8 turn it a quarter, to 300 × 400.
        byte[] original = TestImages.JpegWithExif(400, 300, new TestExif(orientation));
        bool quarterTurn = orientation >= 5;

        // Act
        var (infos, output) = await RenditionRendering.RenderAsync(original, TestChains.Widths(RenditionFormat.Jpeg, 90, 200, 100));

        // Assert
        Assert.Equal(quarterTurn ? [(200, 267), (100, 133)] : [(200, 150), (100, 75)], infos.Select(i => (i.Width, i.Height)));
        using SKBitmap upright = TestImages.Decode(output.Written["jpeg-200"]);
        int inset = 6;
        int x = markerRight ? upright.Width - inset : inset;
        int y = markerBottom ? upright.Height - inset : inset;
        Assert.True(TestImages.IsNear(upright.GetPixel(x, y), TestImages.Marker), $"marker expected at ({x},{y})");
        Assert.False(TestImages.IsNear(upright.GetPixel(upright.Width - 1 - x, upright.Height - 1 - y), TestImages.Marker), "marker in the opposite corner");
    }

    public static TheoryData<string, int, bool, bool> MagickOrientations
    {
        get
        {
            TheoryData<string, int, bool, bool> data = [];
            foreach (string format in (string[])["dng", "tiff", "jpeg-xl", "psd"])
            {
                foreach (var (orientation, right, bottom) in MarkerCorners)
                {
                    data.Add(format, orientation, right, bottom);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(MagickOrientations))]
    public async Task RenderChain_MagickFormatOrientation_ComesOutUprightLikeJpeg(string format, int orientation, bool markerRight, bool markerBottom)
    {
        // Arrange: stored 400 × 300 with each of the eight orientations where the format keeps it: a DNG's IFD0
        // Orientation (libraw reads it as its flip, for every raw format), a TIFF's, JPEG XL's codestream, a PSD's
        // EXIF image resource (0x0422).
        var exif = new TestExif(orientation, "Contoso", "Lens 12");
        byte[] original = format switch
        {
            "dng" => TestImages.Dng(400, 300, exif),
            "tiff" => TestImages.Tiff(400, 300, new TestTiff(Exif: exif)),
            "psd" => TestImages.Psd(400, 300, exif),
            _ => TestImages.JpegXl(400, 300, exif),
        };
        bool quarterTurn = orientation >= 5;
        if (format == "psd")
        {
            // The fixture really holds it: ImageMagick once wrote 0 over it, and the unturned PSD passed for orientation 1 only.
            Assert.Equal(orientation, ImageMetadataReader.ReadMetadata(new MemoryStream(original))
                .OfType<ExifIfd0Directory>().Single().GetInt32(ExifDirectoryBase.TagOrientation));
        }

        // Act
        var (infos, output) = await RenditionRendering.RenderAsync(original, TestChains.Widths(RenditionFormat.Jpeg, 90, 200));

        // Assert: turned and un-mirrored exactly as a JPEG with the same EXIF orientation.
        Assert.Equal(quarterTurn ? (200, 267) : (200, 150), (infos.Single().Width, infos.Single().Height));
        using SKBitmap upright = TestImages.Decode(output.Written["jpeg-200"]);
        int inset = 6;
        int x = markerRight ? upright.Width - inset : inset;
        int y = markerBottom ? upright.Height - inset : inset;
        Assert.True(TestImages.IsNear(upright.GetPixel(x, y), TestImages.Marker, 60), $"marker expected at ({x},{y})");
        Assert.False(TestImages.IsNear(upright.GetPixel(upright.Width - 1 - x, upright.Height - 1 - y), TestImages.Marker, 60), "marker in the opposite corner");
    }

    [Theory]
    [InlineData(RenditionFormat.Jpeg)]
    [InlineData(RenditionFormat.Webp)]
    public async Task RenderChain_PhotoWithGps_RenditionsCarryNoExif(RenditionFormat format)
    {
        // Arrange
        byte[] original = TestImages.JpegWithExif(400, 300, TestExif.PhonePortrait);
        Assert.NotNull(ImageMetadataReader.ReadMetadata(new MemoryStream(original)).OfType<GpsDirectory>().SingleOrDefault()?.GetGeoLocation());

        // Act
        var (_, output) = await RenditionRendering.RenderAsync(original, TestChains.Widths(format, 80, 300, 100));

        // Assert
        Assert.All(output.Written.Values, rendition =>
        {
            var directories = ImageMetadataReader.ReadMetadata(new MemoryStream(rendition));
            Assert.Empty(directories.OfType<GpsDirectory>());
            Assert.Empty(directories.OfType<ExifIfd0Directory>());
            Assert.Empty(directories.OfType<ExifSubIfdDirectory>());
        });
    }

    [Fact]
    public async Task RenderRenditions_AnyOriginal_RenditionsCarryNoIccProfile()
    {
        // Arrange: renditions are sRGB, which a decoder assumes without a profile; a profile was 456 bytes of each.
        byte[] original = TestImages.JpegWithExif(400, 300, TestExif.PhonePortrait);

        // Act
        var (_, output) = await RenditionRendering.RenderAsync(original, RenditionProfile.Default.Chains);

        // Assert: no JPEG APP2 ICC_PROFILE segment, no WebP ICCP chunk.
        Assert.Equal(6, output.Written.Count);
        Assert.All(output.Written.Values, rendition =>
        {
            Assert.True(rendition.AsSpan().IndexOf("ICC_PROFILE"u8) < 0, "JPEG ICC profile");
            Assert.True(rendition.AsSpan().IndexOf("ICCP"u8) < 0, "WebP ICC chunk");
        });
    }
}
