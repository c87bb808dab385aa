namespace Workflows.Assets;

/// <summary>
/// Validation of user-supplied names. Blob names the app writes are always built from validated asset ids and
/// rendition names, so a user's name is only ever stored as data; these checks keep that data sane and stop a name
/// from being mistaken for a path anywhere downstream.
/// </summary>
public static class AssetNames
{
    public const int MaxOriginalNameLength = 255;
    private const int MaxRenditionNameLength = 64;
    private const int MaxBlobNameLength = 1024;

    /// <summary>
    /// A file name: no path segments ('/', '\'), not '.' or '..', no control characters, at most 255 characters.
    /// Returns null when valid, else a reason a user can act on.
    /// </summary>
    public static string? ValidateOriginalName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "The file name is empty.";
        }

        if (name.Length > MaxOriginalNameLength)
        {
            return $"The file name is longer than {MaxOriginalNameLength} characters.";
        }

        if (name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal))
        {
            return "The file name must not contain path separators ('/' or '\\').";
        }

        if (name is "." or ".." || name.Trim().Trim('.').Length == 0)
        {
            return "The file name must not be '.' or '..'.";
        }

        if (name.Any(char.IsControl))
        {
            return "The file name must not contain control characters.";
        }

        return null;
    }

    /// <summary>
    /// A blob name in the uploads container: virtual folders are fine ("2026/11/photo.jpg"), but every segment must
    /// be a valid file name (so no '.', '..', empty segments or control characters) and the whole at most 1,024 characters.
    /// </summary>
    public static string? ValidateUploadBlobName(string? blobName)
    {
        if (string.IsNullOrEmpty(blobName))
        {
            return "The upload's name is empty.";
        }

        if (blobName.Length > MaxBlobNameLength)
        {
            return $"The upload's name is longer than {MaxBlobNameLength} characters.";
        }

        return blobName.Split('/').Select(ValidateOriginalName).FirstOrDefault(reason => reason is not null);
    }

    /// <summary>The display name of an upload blob: its last path segment.</summary>
    public static string FromUploadBlobName(string blobName)
    {
        var slash = blobName.LastIndexOf('/');
        return slash >= 0 && slash < blobName.Length - 1 ? blobName[(slash + 1)..] : blobName;
    }

    /// <summary>Rendition names from a request route: lowercase letters, digits and '-' only (e.g. <c>w800-jpeg</c>).</summary>
    public static bool IsValidRenditionName(string? name) =>
        name is { Length: > 0 and <= MaxRenditionNameLength }
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
