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
    [InlineData("unable to extend cache '': File too large @ error/cache.c/OpenPixelCache/4098")]
    [InlineData("unable to write blob '/tmp/workflows-magick/1-a/magick-x': File too large @ error/blob.c/BlobToFile/406")]
    public void Guard_TempFileTheDiskWouldNotTake_RetryableIOException(string message)
    {
        // Arrange: ImageMagick's words as a process whose file-size limit stands in for a full disk saw them (the
        // pixel cache; the copy of the file a HEIC/AVIF or raw coder reads from).
        void Read() => throw (message.Contains("blob", StringComparison.Ordinal)
            ? new MagickBlobErrorException(message)
            : new MagickCacheErrorException(message));

        // Act + Assert
        Assert.Throws<IOException>(() => MagickErrors.Guard(Read));
    }

    [Fact]
    public void Guard_BudgetExhaustedForAnImageThatFitsItAlone_RetryableIOException()
    {
        // Arrange: the caller checked the image's header against the budget; other images' caches held it.
        static void Read() => throw new MagickCacheErrorException("cache resources exhausted `' @ error/cache.c/OpenPixelCache/4072");

        // Act + Assert
        Assert.Throws<IOException>(() => MagickErrors.Guard(Read, budgetFitsTheImage: true));
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
