using ImageMagick;

namespace Workflows.Assets.Imaging.Magick;

/// <summary>
/// Turns what ImageMagick throws at a bad file into a rejection a user can act on, and what its temp folder could not
/// take (<see cref="MagickTemporaryFiles"/>: a large image's pixel cache, the copy of a HEIC/AVIF or raw file its
/// coder reads from) into a retryable <see cref="IOException"/>: the host's trouble, not the file's.
/// </summary>
internal static class MagickErrors
{
    private const string BudgetExhausted = "cache resources exhausted";

    // ImageMagick's words (config/english.xml) when a file in its temp folder could not be created, extended, written
    // or read; each is followed by the file's name and the system's reason ("No space left on device"). Every other
    // cache error ("no pixels defined in cache", "pixel cache is not open", "unable to get cache nexus") is raised by
    // an image or a coder gone wrong, which no retry mends.
    private static readonly string[] TemporaryFileFailures =
    [
        "unable to open pixel cache",
        "unable to extend cache",
        "unable to extend pixel cache",
        "unable to write pixel cache",
        "unable to read pixel cache",
        "unable to clone cache",
        "unable to write blob",
    ];

    /// <summary>
    /// Runs <paramref name="action"/>: a file at fault is an <see cref="ImageRejectedException"/>, a temp file the
    /// disk could not take an <see cref="IOException"/>. A pixel cache refused by the disk budget ("cache resources
    /// exhausted") is a rejection unless <paramref name="budgetFitsTheImage"/>: the caller has checked that the image
    /// alone fits the budget, so other images held it and a retry can pass.
    /// </summary>
    public static void Guard(Action action, bool budgetFitsTheImage = false)
    {
        try
        {
            action();
        }
        catch (MagickException ex) when (ex is MagickResourceLimitErrorException || ex.Message.Contains("ExceedsLimit", StringComparison.Ordinal))
        {
            throw new ImageRejectedException("The image needs more memory or time to decode than the limits allow. Upload a smaller image.", ex);
        }
        catch (MagickException ex) when (IsTemporaryFileFailure(ex))
        {
            throw new IOException("ImageMagick could not write a file to its temp folder.", ex);
        }
        catch (MagickCacheErrorException ex) when (budgetFitsTheImage && ex.Message.Contains(BudgetExhausted, StringComparison.OrdinalIgnoreCase))
        {
            throw new IOException("ImageMagick's disk budget for pixel caches is held by other images.", ex);
        }
        catch (MagickErrorException ex)
        {
            // Corrupt image, coder, missing delegate (a variant the codec does not know), blob and policy errors.
            throw new ImageRejectedException(ImageRejectedException.Corrupt().Message, ex);
        }
    }

    private static bool IsTemporaryFileFailure(MagickException ex) =>
        ex is MagickCacheErrorException or MagickBlobErrorException
        && TemporaryFileFailures.Any(words => ex.Message.StartsWith(words, StringComparison.OrdinalIgnoreCase));
}
