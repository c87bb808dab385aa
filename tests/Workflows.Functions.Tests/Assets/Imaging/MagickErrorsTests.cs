using ImageMagick;
using Workflows.Assets.Imaging;
using Workflows.Assets.Imaging.Magick;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>
/// What ImageMagick throws becomes a rejection when the file is at fault and a retryable failure when the host is: a
/// large image's pixel cache is a temp file, which a full disk cannot take (<see cref="MagickErrors"/>).
/// </summary>
public sealed class MagickErrorsTests
{
    [Fact]
    public void Guard_PixelCacheNotWritableDiskFull_RetryableIOExceptionNotARejection()
    {
        // Arrange: ImageMagick's words when the temp folder's disk is full.
        static void Read() => throw new MagickCacheErrorException(
            "unable to write pixel cache '/tmp/workflows-magick/1-a/magick-x': No space left on device @ error/cache.c/WritePixelCachePixels/6127");

        // Act
        var ex = Assert.Throws<IOException>(() => MagickErrors.Guard(Read));

        // Assert
        Assert.IsType<MagickCacheErrorException>(ex.InnerException);
    }

    [Fact]
    public void Guard_PixelCacheRefusedByTheLimits_RejectedAsCorrupt()
    {
        // Arrange: a header declaring more pixels than the disk budget holds.
        static void Read() => throw new MagickCacheErrorException("cache resources exhausted `bomb.tiff' @ error/cache.c/OpenPixelCache/4319");

        // Act
        var ex = Assert.Throws<ImageRejectedException>(() => MagickErrors.Guard(Read));

        // Assert
        Assert.Equal(ImageRejectedException.Corrupt().Message, ex.Message);
    }

    [Theory]
    [InlineData("no pixels defined in cache `x.tiff' @ error/cache.c/OpenPixelCache/3799")]
    [InlineData("pixel cache is not open `x.tiff' @ error/cache.c/SyncAuthenticPixelCacheNexus/5536")]
    [InlineData("unable to get cache nexus `x.tiff' @ error/cache.c/GetVirtualPixelCacheNexus/2950")]
    public void Guard_CacheErrorOfTheImageNotTheDisk_RejectedAsCorrupt(string message)
    {
        // Arrange: cache errors a file with no pixels or a coder gone wrong raise, which no retry can mend.
        void Read() => throw new MagickCacheErrorException(message);

        // Act
        var ex = Assert.Throws<ImageRejectedException>(() => MagickErrors.Guard(Read));

        // Assert
        Assert.Equal(ImageRejectedException.Corrupt().Message, ex.Message);
    }
}
