using System.Text;
using ImageMagick;
using Workflows.Assets.Imaging.Magick;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>ImageMagick's security policy and limits, as installed by the app before its first use.</summary>
public sealed class MagickPolicyTests
{
    public static TheoryData<string, string> RefusedCoders => new()
    {
        // A script that would read a file from disk, vector formats with external references, text indirection.
        { "MSL", """<?xml version="1.0"?><image><read filename="/etc/hostname"/></image>""" },
        { "SVG", """<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/hostname"/></svg>""" },
        { "MVG", "viewbox 0 0 10 10 image over 0,0 0,0 '/etc/hostname'" },
        { "TEXT", "@/etc/hostname" },
        { "PNG", "\u0089PNG\r\n\u001a\n" }, // Skia's format: never through ImageMagick
    };

    [Theory]
    [MemberData(nameof(RefusedCoders))]
    public void Read_CoderOutsideThePolicy_RefusedBeforeItRuns(string coder, string content)
    {
        // Arrange
        MagickRuntime.EnsureInitialized();
        using var image = new MagickImage();

        // Act + Assert: even when asked for by name, as our decoders never do.
        Assert.Throws<MagickPolicyErrorException>(() => image.Read(Encoding.UTF8.GetBytes(content), new MagickReadSettings { Format = Enum.Parse<MagickFormat>(coder, ignoreCase: true) }));
    }

    [Theory]
    [InlineData("@/etc/hostname")]
    [InlineData("https://127.0.0.1/x.png")]
    [InlineData("msl:/etc/hostname")]
    public void Read_IndirectFileOrNetworkName_Refused(string name)
    {
        // Arrange
        MagickRuntime.EnsureInitialized();
        using var image = new MagickImage();

        // Act + Assert: the policy refuses the coder; "@file" names no coder at all (and the path policy forbids it).
        Assert.ThrowsAny<MagickErrorException>(() => image.Read(name));
    }

    [Fact]
    public void Limits_AfterStart_OneThreadNoDiskCacheAndPixelsCapped()
    {
        // Act
        MagickRuntime.EnsureInitialized();

        // Assert
        Assert.Equal((1ul, 0ul), (ResourceLimits.Thread, ResourceLimits.Disk));
        Assert.InRange(ResourceLimits.Area, 1ul, (ulong)Workflows.Assets.Imaging.ImageLimits.DefaultMaxPixels);
        Assert.Equal((ulong)MagickRuntime.MaxDecodeSeconds, ResourceLimits.Time);
        Assert.NotEmpty(TestImages.JpegXl(8, 8)); // the accepted coders still work
    }
}
