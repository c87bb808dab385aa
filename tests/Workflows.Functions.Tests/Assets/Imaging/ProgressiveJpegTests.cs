using SkiaSharp;
using Workflows.Assets.Imaging;
using Workflows.Assets.Imaging.Skia;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>
/// A progressive JPEG's pixels come from ImageMagick's libjpeg-turbo at reduced scale (Skia's progressive decode is
/// the slow one); the renditions must be what the same pixels stored as a baseline JPEG give.
/// </summary>
public sealed class ProgressiveJpegTests
{
    [Fact]
    public void IsProgressive_ProgressiveFileAndBaselineCopy_OnlyTheProgressiveOne()
    {
        // Arrange
        byte[] progressive = TestFiles.Read(TestFiles.ProgressiveJpeg);
        byte[] baseline = BaselineCopy(progressive);

        // Act + Assert
        Assert.True(JpegStructure.IsProgressive(progressive));
        Assert.False(JpegStructure.IsProgressive(baseline));
        Assert.False(JpegStructure.IsProgressive(TestImages.JpegWithExif(64, 48, TestExif.PhonePortrait)));
    }

    [Theory]
    [InlineData(RenditionFormat.Jpeg, 120)]
    [InlineData(RenditionFormat.Webp, 120)]
    [InlineData(RenditionFormat.Jpeg, 240)]
    public async Task RenderChain_ProgressiveAtReducedOrFullScale_SamePixelsAsItsBaselineCopy(RenditionFormat format, int width)
    {
        // Arrange: 120 px is half the 240 px original, so the decode runs at reduced scale (ImageMagick); 240 at full (Skia).
        byte[] progressive = TestFiles.Read(TestFiles.ProgressiveJpeg);
        byte[] baseline = BaselineCopy(progressive);
        RenditionChain chain = TestChains.Widths(format, 95, width, width / 2);

        // Act
        var (infos, fromProgressive) = await RenditionRendering.RenderAsync(progressive, chain);
        var (_, fromBaseline) = await RenditionRendering.RenderAsync(baseline, chain);

        // Assert: same sizes, the marker in the top-left corner, pixels within a few levels of each other.
        Assert.Equal([(width, width * 3 / 4), (width / 2, width * 3 / 8)], infos.Select(i => (i.Width, i.Height)));
        foreach (var (name, encoded) in fromProgressive.Written)
        {
            using SKBitmap actual = TestImages.Decode(encoded);
            using SKBitmap expected = TestImages.Decode(fromBaseline.Written[name]);
            Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
            Assert.True(TestImages.IsNear(actual.GetPixel(2, 2), TestImages.Marker), $"{name}: {actual.GetPixel(2, 2)}");
            double difference = MeanAbsoluteDifference(actual, expected);
            Assert.True(difference < 3, $"{name}: mean difference {difference:F2} levels");
        }
    }

    [Fact]
    public async Task RenderChain_ProgressiveWithExifOrientation6_TurnedUpright()
    {
        // Arrange: the marker is stored top-left; orientation 6 turns it to the top-right corner.
        byte[] progressive = TestImagesExif.Insert(TestFiles.Read(TestFiles.ProgressiveJpeg), TestExif.PhonePortrait);

        // Act
        var (infos, output) = await RenditionRendering.RenderAsync(progressive, TestChains.Widths(RenditionFormat.Jpeg, 95, 90));

        // Assert
        Assert.Equal((90, 120), (infos[0].Width, infos[0].Height));
        using SKBitmap rendition = TestImages.Decode(output.Written["jpeg-90"]);
        Assert.True(TestImages.IsNear(rendition.GetPixel(87, 2), TestImages.Marker), rendition.GetPixel(87, 2).ToString());
    }

    private static byte[] BaselineCopy(byte[] jpeg)
    {
        using SKBitmap pixels = TestImages.Decode(jpeg);
        using SKData encoded = pixels.Encode(SKEncodedImageFormat.Jpeg, 100);
        return encoded.ToArray();
    }

    private static double MeanAbsoluteDifference(SKBitmap a, SKBitmap b)
    {
        long sum = 0;
        for (int y = 0; y < a.Height; y++)
        {
            for (int x = 0; x < a.Width; x++)
            {
                SKColor p = a.GetPixel(x, y);
                SKColor q = b.GetPixel(x, y);
                sum += Math.Abs(p.Red - q.Red) + Math.Abs(p.Green - q.Green) + Math.Abs(p.Blue - q.Blue);
            }
        }

        return sum / (3.0 * a.Width * a.Height);
    }
}
