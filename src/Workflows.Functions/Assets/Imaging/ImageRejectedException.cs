namespace Workflows.Assets.Imaging;

/// <summary>
/// The content is not an image we can process. <see cref="Exception.Message"/> is written for the uploader:
/// it says what was found and what to do, and is safe to store as the asset's failure reason.
/// </summary>
public sealed class ImageRejectedException : Exception
{
    public ImageRejectedException()
        : base("The file is not a supported image.")
    {
    }

    public ImageRejectedException(string reason)
        : base(reason)
    {
    }

    public ImageRejectedException(string reason, Exception innerException)
        : base(reason, innerException)
    {
    }

    internal static ImageRejectedException Empty() => new("The file is empty.");

    internal static ImageRejectedException Unsupported(string detected) => detected == "SVG"
        ? new("SVG images are not supported; upload a PNG or JPEG export.")
        : new($"The file is not a supported image (detected: {detected}). Upload a {ImageFormats.AcceptedNames} image.");

    internal static ImageRejectedException ForeignPngChunks() =>
        new("The PNG holds bytes that read as its chunks but are not part of it (e.g. data after its end). Save it again as a plain PNG and upload that.");

    internal static ImageRejectedException Corrupt() =>
        new("The image is truncated or corrupt. Upload the complete file again.");
}
