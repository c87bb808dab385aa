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
        catch (MagickErrorException ex)
        {
            // Corrupt image, coder, missing delegate (a variant the codec does not know), blob and policy errors.
            throw new ImageRejectedException(ImageRejectedException.Corrupt().Message, ex);
        }
    }
}
