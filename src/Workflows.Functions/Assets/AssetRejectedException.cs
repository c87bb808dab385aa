namespace Workflows.Assets;

/// <summary>
/// The upload can never become an asset as it is (not an image, corrupt, too large, bad name, gone). The message is
/// written for the uploader and becomes the asset's failure reason; the pipeline never retries it.
/// </summary>
public sealed class AssetRejectedException : Exception
{
    public AssetRejectedException()
        : base("The upload cannot be processed.")
    {
    }

    public AssetRejectedException(string reason)
        : base(reason)
    {
    }

    public AssetRejectedException(string reason, Exception innerException)
        : base(reason, innerException)
    {
    }
}
