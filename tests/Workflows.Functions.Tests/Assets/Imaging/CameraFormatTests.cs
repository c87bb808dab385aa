using SkiaSharp;
using Workflows.Assets.Imaging;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>
/// What phones, cameras and print shops send, through Magick.NET: each is detected from its content, measured
/// upright, described with its camera, time and place, and rendered upright.
/// </summary>
public sealed class CameraFormatTests
{
    private static readonly DateTime ScanTime = new(2025, 11, 3, 9, 15, 0, DateTimeKind.Unspecified);
    private static readonly TestExif StudioCamera = new(1, "Canon", "EOS R5", new DateTime(2026, 3, 1, 10, 0, 0, DateTimeKind.Unspecified), 45.4642, 9.19);

    /// <summary>The acceptance scenarios: name → (file, format, content type, upright size, marker on the right, camera).</summary>
    public static TheoryData<string> Scenarios => [.. Scenario.All.Keys];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Inspect_CameraOrPrintFormat_DetectedUprightWithMetadata(string name)
    {
        // Arrange
        Scenario scenario = Scenario.All[name];

        // Act
        ImageInspection inspection = await InspectAsync(scenario.Content());

        // Assert
        Assert.Equal((scenario.Format, scenario.ContentType), (inspection.Format, inspection.ContentType));
        Assert.Equal(scenario.Upright, (inspection.UprightWidth, inspection.UprightHeight));
        Assert.Equal((scenario.Exif.Make, scenario.Exif.Model, scenario.Exif.TakenAt), (inspection.Metadata.CameraMake, inspection.Metadata.CameraModel, inspection.Metadata.TakenAt));
        Assert.Equal(scenario.Exif.Latitude is null, inspection.Metadata.Latitude is null);
        if (scenario.Exif is { Latitude: { } lat, Longitude: { } lon })
        {
            Assert.Equal(lat, inspection.Metadata.Latitude!.Value, 4);
            Assert.Equal(lon, inspection.Metadata.Longitude!.Value, 4);
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task RenderChain_CameraOrPrintFormat_UprightRenditionsWithTheMarkerWhereTheViewerSawIt(string name)
    {
        // Arrange
        Scenario scenario = Scenario.All[name];
        int half = scenario.Upright.Width / 2;

        // Act
        var (infos, output) = await RenditionRendering.RenderAsync(scenario.Content(), TestChains.Widths(RenditionFormat.Jpeg, 90, half));

        // Assert
        Assert.Equal((half, scenario.Upright.Height / 2), (infos[0].Width, infos[0].Height));
        using SKBitmap upright = TestImages.Decode(output.Written[infos[0].Name]);
        int x = scenario.MarkerRight ? upright.Width - 5 : 4;
        SKColor marker = upright.GetPixel(x, 4);
        SKColor opposite = upright.GetPixel(upright.Width - 1 - x, upright.Height - 5);
        Assert.True(marker.Red > 150 && marker.Green < 90 && marker.Blue < 90, $"marker expected at ({x},4), found {marker}");
        Assert.False(marker.Red > 150 && opposite.Green < 90, $"marker colour in the opposite corner: {opposite}");
    }

    [Fact]
    public async Task Inspect_PsdWithXmpOnly_CameraAndTimeFromXmp()
    {
        // Arrange: Lightroom-style XMP and no EXIF block; its time carries a UTC offset, kept as clock time.
        byte[] psd = TestImages.Psd(120, 80, xmp: TestImages.Xmp("NIKON CORPORATION", "NIKON Z 8", ScanTime));

        // Act
        ImageInspection inspection = await InspectAsync(psd);

        // Assert
        Assert.Equal(new PhotoMetadata("NIKON CORPORATION", "NIKON Z 8", ScanTime, null, null), inspection.Metadata);
    }

    private static async Task<ImageInspection> InspectAsync(byte[] content)
    {
        using var timeout = new Deadline(TimeSpan.FromSeconds(60));
        return await new ImageInspector(ImageLimits.Default).InspectAsync(new MemoryStream(content), timeout.Token);
    }

    /// <summary>One acceptance file and what a viewer of it sees.</summary>
    internal sealed record Scenario(
        Func<byte[]> Content, ImageFormat Format, string ContentType, (int Width, int Height) Upright, bool MarkerRight, TestExif Exif)
    {
        // The iPhone file: 52°22'12.34"N 4°53'40"E, Apple iPhone 15 Pro, 14 July 2026 18:30:05 (see Files/README.md).
        private static readonly TestExif Phone = new(6, "Apple", "iPhone 15 Pro", new DateTime(2026, 7, 14, 18, 30, 5, DateTimeKind.Unspecified), 52.370094, 4.894444);

        public static Dictionary<string, Scenario> All { get; } = new()
        {
            // Stored 256 × 192 and turned by the container's irot box; its EXIF orientation 6 must not turn it again.
            ["heic-from-a-phone"] = new(() => TestFiles.Read(TestFiles.PhonePortraitHeic), ImageFormat.Heic, "image/heic", (192, 256), true, Phone),
            ["dng-portrait"] = new(() => TestImages.Dng(300, 200, TestExif.PhonePortrait), ImageFormat.Dng, "image/x-adobe-dng", (200, 300), true, TestExif.PhonePortrait),
            ["jpeg-xl-portrait"] = new(() => TestImages.JpegXl(300, 200, TestExif.PhonePortrait), ImageFormat.JpegXl, "image/jxl", (200, 300), true, TestExif.PhonePortrait),
            ["cmyk-jpeg-tiff-from-a-scanner"] = new(
                () => TestImages.CmykJpegTiff(300, 200, "Heidelberg", "Linoscan 1400", ScanTime), ImageFormat.Tiff, "image/tiff", (300, 200), false,
                new TestExif(1, "Heidelberg", "Linoscan 1400", ScanTime)),
            ["psd-with-exif"] = new(() => TestImages.Psd(300, 200, StudioCamera), ImageFormat.Psd, "image/vnd.adobe.photoshop", (300, 200), false, StudioCamera),
            ["psd-portrait"] = new(() => TestImages.Psd(300, 200, TestExif.PhonePortrait), ImageFormat.Psd, "image/vnd.adobe.photoshop", (200, 300), true, TestExif.PhonePortrait),
        };
    }
}
