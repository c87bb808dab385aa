namespace Workflows.Tests.TestSupport;

/// <summary>Storage-valid names unique per test, so tests never share containers, tables, queues or task hubs.</summary>
public static class TestNames
{
    private const int MaxLength = 40;

    /// <summary>
    /// A lowercase letter first, then letters and digits only, at most 40 characters: valid as a container, table, queue
    /// and task hub name. <c>Unique("stock")</c> gives e.g. <c>stock3f9a1c2b7d6e</c>.
    /// </summary>
    public static string Unique(string prefix)
    {
        var clean = new string(prefix.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());
        if (clean.Length == 0 || !char.IsAsciiLetter(clean[0]))
        {
            clean = "t" + clean;
        }

        var suffix = Guid.NewGuid().ToString("N")[..12];
        return clean[..Math.Min(clean.Length, MaxLength - suffix.Length)] + suffix;
    }
}
