using Workflows.Assets.Imaging;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets.Imaging;

public sealed class ImageInspectorTests
{
    public static TheoryData<string, ImageFormat, string> Formats => new()
    {
        { "jpeg", ImageFormat.Jpeg, "image/jpeg" },
        { "png", ImageFormat.Png, "image/png" },
        { "webp", ImageFormat.Webp, "image/webp" },
        { "gif", ImageFormat.Gif, "image/gif" },
        { "bmp", ImageFormat.Bmp, "image/bmp" },
        { "tiff", ImageFormat.Tiff, "image/tiff" },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Inspect_EachSupportedFormat_DetectedFromContentWithSize(string kind, ImageFormat format, string contentType)
    {
        // Arrange
        byte[] image = Build(kind, 120, 80);

        // Act
        ImageInspection inspection = await InspectAsync(image);

        // Assert
        Assert.Equal(format, inspection.Format);
        Assert.Equal(contentType, inspection.ContentType);
        Assert.Equal((120, 80), (inspection.Width, inspection.Height));
        Assert.Equal(1, inspection.Orientation);
    }

    [Fact]
    public async Task Inspect_PhotoWithExif_ReadsCameraTimeGpsAndOrientation()
    {
        // Arrange
        TestExif exif = TestExif.PhonePortrait;
        byte[] image = TestImages.JpegWithExif(400, 300, exif);

        // Act
        ImageInspection inspection = await InspectAsync(image);

        // Assert
        Assert.Equal((400, 300), (inspection.Width, inspection.Height));
        Assert.Equal(6, inspection.Orientation);
        Assert.Equal((300, 400), (inspection.UprightWidth, inspection.UprightHeight));
        Assert.Equal("Contoso", inspection.Metadata.CameraMake);
        Assert.Equal("Lens 12", inspection.Metadata.CameraModel);
        Assert.Equal(exif.TakenAt, inspection.Metadata.TakenAt);
        Assert.Equal(exif.Latitude!.Value, inspection.Metadata.Latitude!.Value, 4);
        Assert.Equal(exif.Longitude!.Value, inspection.Metadata.Longitude!.Value, 4);
    }

    [Fact]
    public async Task Inspect_DamagedExif_ImageAcceptedWithoutMetadata()
    {
        // Arrange: SOI, APP1 marker, its length, "Exif\0\0", then the TIFF block, scribbled over.
        byte[] image = TestImages.JpegWithExif(200, 100, TestExif.PhonePortrait);
        int tiffLength = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(image.AsSpan(4)) - 8;
        image.AsSpan(12, tiffLength).Fill(0xEE);

        // Act
        ImageInspection inspection = await InspectAsync(image);

        // Assert
        Assert.Equal((ImageFormat.Jpeg, 200, 100, 1), (inspection.Format, inspection.Width, inspection.Height, inspection.Orientation));
        Assert.Equal(PhotoMetadata.None, inspection.Metadata);
    }

    [Fact]
    public async Task Inspection_JsonRoundTrip_SurvivesAnActivityBoundary()
    {
        // Arrange
        ImageInspection inspection = await InspectAsync(TestImages.JpegWithExif(80, 60, TestExif.PhonePortrait));

        // Act
        string json = System.Text.Json.JsonSerializer.Serialize(inspection);
        ImageInspection? back = System.Text.Json.JsonSerializer.Deserialize<ImageInspection>(json);

        // Assert
        Assert.Equal(inspection, back);
    }

    [Fact]
    public async Task Inspect_ImageWithoutExif_HasNoMetadata()
    {
        // Arrange
        byte[] image = TestImages.Png(40, 30);

        // Act
        ImageInspection inspection = await InspectAsync(image);

        // Assert
        Assert.Equal(PhotoMetadata.None, inspection.Metadata);
    }

    [Fact]
    public async Task Inspect_LargeUploadOfUnknownLength_ReadToTheEnd()
    {
        // Arrange: a body without a length, larger than the native buffer's first guess, so it has to grow.
        byte[] image = TestImages.PhotoJpeg(1800, 1400, quality: 98);
        Assert.True(image.Length > 1 << 20, $"the photo must be over 1 MB, is {image.Length} bytes");
        using var timeout = new Deadline(TimeSpan.FromSeconds(30));

        // Act
        ImageInspection inspection = await new ImageInspector(ImageLimits.Default)
            .InspectAsync(new ForwardOnlyStream(image), timeout.Token);

        // Assert
        Assert.Equal((1800, 1400), (inspection.Width, inspection.Height));
    }

    internal static byte[] Build(string kind, int width, int height) => kind switch
    {
        "jpeg" => TestImages.Jpeg(width, height),
        "png" => TestImages.Png(width, height),
        "webp" => TestImages.Webp(width, height),
        "gif" => TestImages.Gif(width, height),
        "bmp" => TestImages.Bmp(width, height),
        "tiff" => TestImages.Tiff(width, height, new TestTiff(TestTiffCompression.Lzw, Predictor: true)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static Task<ImageInspection> InspectAsync(byte[] image)
    {
        using var timeout = new Deadline(TimeSpan.FromSeconds(30));
        return new ImageInspector(ImageLimits.Default).InspectAsync(new MemoryStream(image), timeout.Token);
    }
}
