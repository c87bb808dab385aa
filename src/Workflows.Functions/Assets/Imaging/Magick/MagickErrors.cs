using ImageMagick;

namespace Workflows.Assets.Imaging.Magick;

/// <summary>Turns what ImageMagick throws at a bad file into a rejection a user can act on.</summary>
internal static class MagickErrors
{
    public static void Guard(Action action)
    {
        try
        {
            action();
        }
        catch (MagickException ex) when (ex is MagickResourceLimitErrorException || ex.Message.Contains("ExceedsLimit", StringComparison.Ordinal))
        {
            throw new ImageRejectedException("The image needs more memory or time to decode than the limits allow. Upload a smaller image.", ex);
        }
        catch (MagickCacheErrorException ex) when (!ex.Message.Contains("cache resources exhausted", StringComparison.OrdinalIgnoreCase))
        {
            // A large image's pixel cache could not be written to the temp folder (disk full): the host's trouble, not
            // the file's, so the activity fails and is retried instead of rejecting the image. A cache refused by the
            // limits ("cache resources exhausted") stays a rejection.
            throw new IOException("ImageMagick could not write its pixel cache to its temp folder.", ex);
        }
        catch (MagickErrorException ex)
        {
            // Corrupt image, coder, missing delegate (a variant the codec does not know), blob and policy errors.
            throw new ImageRejectedException(ImageRejectedException.Corrupt().Message, ex);
        }
    }
}
