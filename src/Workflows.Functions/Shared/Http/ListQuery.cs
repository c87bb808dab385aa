using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Workflows.Shared.Http;

/// <summary>One page of a list endpoint; pass <c>continuationToken</c> back to get the next, until it is null.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, string? ContinuationToken);

/// <summary>
/// Reads a list endpoint's query string: each parameter validated as it is read, every problem collected, and
/// parameters the endpoint does not know rejected (a typo must not silently return everything). <c>code</c> is the
/// Functions key parameter and always allowed.
/// </summary>
internal sealed class ListQuery(HttpRequest req)
{
    public const string PageSizeParameter = "pageSize";
    public const string ContinuationParameter = "continuationToken";
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private readonly HashSet<string> _known = new(StringComparer.OrdinalIgnoreCase) { "code" };

    public int PageSize(int defaultSize, int maxSize)
    {
        var text = Text(PageSizeParameter);
        if (text is null)
        {
            return defaultSize;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size >= 1 && size <= maxSize)
        {
            return size;
        }

        Error(PageSizeParameter, $"must be a whole number from 1 to {maxSize}");
        return defaultSize;
    }

    /// <summary>The position a continuation token stands for, or null for the first page.</summary>
    public string? Continuation(Func<string, bool>? isValidPosition = null)
    {
        var token = Text(ContinuationParameter);
        if (token is null)
        {
            return null;
        }

        if (ContinuationTokens.TryDecode(token, out var position) && (isValidPosition?.Invoke(position) ?? true))
        {
            return position;
        }

        Error(ContinuationParameter, "is not a token this endpoint returned (pass back 'continuationToken' unchanged)");
        return null;
    }

    /// <summary>An ISO 8601 time (<c>2026-12-01</c> or <c>2026-12-01T10:00:00Z</c>); without an offset it is UTC.</summary>
    public DateTimeOffset? Time(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time.ToUniversalTime();
        }

        Error(name, "must be an ISO 8601 date or time, e.g. 2026-12-01 or 2026-12-01T10:00:00Z");
        return null;
    }

    /// <summary>A time range: <c>{prefix}From</c> (inclusive) and <c>{prefix}To</c> (exclusive).</summary>
    public (DateTimeOffset? From, DateTimeOffset? To) TimeRange(string prefix)
    {
        var (from, to) = (Time(prefix + "From"), Time(prefix + "To"));
        if (from > to)
        {
            Error(prefix + "To", $"must not be before {prefix}From");
        }

        return (from, to);
    }

    /// <summary>A comma-separated list of enum names (case-insensitive), e.g. <c>status=Failed,CompensationFailed</c>.</summary>
    public IReadOnlyList<TEnum> Enums<TEnum>(string name) where TEnum : struct, Enum
    {
        var text = Text(name);
        if (text is null)
        {
            return [];
        }

        List<TEnum> values = [];
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (TryParseName(part, out TEnum value))
            {
                values.Add(value);
            }
            else
            {
                Error(name, $"'{part}' is not one of {string.Join(", ", Enum.GetNames<TEnum>())}");
            }
        }

        return values.Distinct().ToList();
    }

    /// <summary>
    /// One enum value by its name (case-insensitive). Numbers are refused: <see cref="Enum.TryParse{TEnum}(string, bool, out TEnum)"/>
    /// would take "3" for whichever member has that value.
    /// </summary>
    public static bool TryParseName<TEnum>(string text, out TEnum value) where TEnum : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value) && !char.IsAsciiDigit(text.TrimStart('-', '+')[0]);

    /// <summary>A <c>true</c>/<c>false</c> parameter, false when absent.</summary>
    public bool Flag(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return false;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Error(name, "must be true or false");
        return false;
    }

    /// <summary>A text parameter that must satisfy <paramref name="isValid"/> (described by <paramref name="rule"/>).</summary>
    public string? Text(string name, Func<string, bool> isValid, string rule)
    {
        var text = Text(name);
        if (text is not null && !isValid(text))
        {
            Error(name, rule);
            return null;
        }

        return text;
    }

    /// <summary>A 400 listing every bad or unknown parameter, or null when the query is fine.</summary>
    public ObjectResult? Problem()
    {
        foreach (var name in req.Query.Keys.Where(k => !_known.Contains(k)))
        {
            Error(name, $"is not a parameter of this endpoint (known: {string.Join(", ", _known.Where(k => k != "code").Order(StringComparer.Ordinal))})");
        }

        return _errors.Count == 0
            ? null
            : ApiResults.ValidationProblem(
                _errors.ToDictionary(e => e.Key, e => e.Value.ToArray()),
                "Invalid query.",
                "See 'errors': every bad parameter is listed.");
    }

    private string? Text(string name)
    {
        _known.Add(name);
        var value = req.Query[name];
        if (value.Count > 1)
        {
            Error(name, "must be given once");
        }

        return value.Count == 0 || string.IsNullOrWhiteSpace(value[0]) ? null : value[0]!.Trim();
    }

    private void Error(string name, string message) =>
        (_errors.TryGetValue(name, out var list) ? list : _errors[name] = []).Add(message);
}
