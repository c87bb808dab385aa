using System.Text.RegularExpressions;

namespace Workflows.Tests.Contract;

/// <summary>
/// <c>workflows.http</c> has a request for every HTTP function the host indexes (functions.metadata), named after it,
/// with a method and path its route accepts and the key its auth level needs; and no request for a function that is gone.
/// </summary>
public sealed partial class HttpFileContractTests
{
    [GeneratedRegex(@"^(GET|POST|PUT|PATCH|DELETE) \{\{baseUrl\}\}/(\S*)$")]
    private static partial Regex RequestLine();

    [Fact]
    public void HttpFile_EveryHttpFunction_HasAMatchingNamedRequest()
    {
        // Arrange
        var functions = FunctionsReference.FromMetadata().Where(f => f.Trigger == "httpTrigger").ToList();

        // Act
        var requests = ReadRequests();

        // Assert
        var problems = new List<string>();
        foreach (var function in functions)
        {
            if (!requests.Any(r => r.Name == function.Function))
            {
                problems.Add($"{function.Function}: no request named '# @name {function.Function}'");
            }
        }

        foreach (var request in requests)
        {
            var function = functions.FirstOrDefault(f => f.Function == request.Name);
            if (function is null)
            {
                problems.Add($"{request.Name}: not an HTTP function of the app");
                continue;
            }

            if (!function.Methods.Split(", ").Contains(request.Method) || !RouteAccepts(function.Target, request.Path))
            {
                problems.Add($"{request.Name}: {request.Method} {request.Path} does not match {function.Methods} {function.Target}");
            }

            // The admin key opens every function; a function key only Function-level ones.
            string[] keys = function.AuthLevel switch { "Admin" => ["{{adminKey}}"], "Function" => ["{{functionKey}}", "{{adminKey}}"], _ => [] };
            if (keys.Length > 0 && !keys.Any(k => request.Headers.Contains($"x-functions-key: {k}")))
            {
                problems.Add($"{request.Name}: {function.AuthLevel} level, so it sends x-functions-key: {keys[0]}");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    private sealed record HttpRequestEntry(string Name, string Method, string Path, IReadOnlyList<string> Headers);

    private static List<HttpRequestEntry> ReadRequests()
    {
        var path = Path.Combine(Path.GetDirectoryName(FunctionsReference.ReadmePath)!, "workflows.http");
        List<HttpRequestEntry> requests = [];
        foreach (var block in File.ReadAllText(path).Split("\n###").Skip(1))
        {
            var lines = block.Split('\n').Select(l => l.Trim()).ToList();
            var name = lines.FirstOrDefault(l => l.StartsWith("# @name ", StringComparison.Ordinal))?["# @name ".Length..] ?? "(unnamed)";
            var requestLine = lines.Select(l => RequestLine().Match(l)).FirstOrDefault(m => m.Success)
                ?? throw new InvalidOperationException($"Request '{name}' has no 'METHOD {{{{baseUrl}}}}/path' line.");
            var headers = lines.SkipWhile(l => !RequestLine().IsMatch(l)).Skip(1).TakeWhile(l => l.Length > 0).ToList();
            requests.Add(new HttpRequestEntry(name, requestLine.Groups[1].Value, requestLine.Groups[2].Value.Split('?')[0], headers));
        }

        return requests;
    }

    /// <summary>Literal segments must match; a route parameter takes one segment (a catch-all any rest), a {{variable}} only a parameter.</summary>
    private static bool RouteAccepts(string route, string path)
    {
        var routeSegments = route.Split('/');
        var pathSegments = path.Split('/');
        for (var i = 0; i < routeSegments.Length; i++)
        {
            var segment = routeSegments[i];
            if (segment.StartsWith("{*", StringComparison.Ordinal))
            {
                return true;
            }

            if (i >= pathSegments.Length)
            {
                return false;
            }

            var isParameter = segment.StartsWith('{');
            if (isParameter ? pathSegments[i].Length == 0 : pathSegments[i] != segment)
            {
                return false;
            }
        }

        return pathSegments.Length == routeSegments.Length;
    }
}
