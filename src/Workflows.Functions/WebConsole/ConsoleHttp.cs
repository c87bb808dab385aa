using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;
using Workflows.Shared.Http;

namespace Workflows.WebConsole;

public static class ConsoleHttp
{
    // Scripts, styles and API calls from this origin only; images may also come from storage (rendition SAS redirects).
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
        "img-src 'self' blob: data: https: http://127.0.0.1:* http://localhost:*; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// Serves the web console (<c>/api/console/</c>): static files embedded in the app, anonymous because they hold
    /// no data and no key; every API call the console makes carries the key the user typed in (kept in the tab).
    /// </summary>
    [Function(nameof(WebConsole))]
    public static IActionResult WebConsole(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/{*path}")] HttpRequest req,
        string? path)
    {
        ArgumentNullException.ThrowIfNull(req);
        if (string.IsNullOrEmpty(path) && !req.Path.Value!.EndsWith('/'))
        {
            // The page's relative links (app.js, ../orders) resolve against the folder.
            return new RedirectResult(req.PathBase + req.Path + "/", permanent: false);
        }

        var file = ConsoleFiles.Find(string.IsNullOrEmpty(path) ? "index.html" : path);
        if (file is null)
        {
            return ApiResults.Problem(StatusCodes.Status404NotFound, "Not found", "The console has no such file.");
        }

        var headers = req.HttpContext.Response.Headers;
        headers.CacheControl = "no-cache"; // revalidate (ETag), so a new deployment shows at once
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        return new FileContentResult(file.Content, file.ContentType) { EntityTag = EntityTagHeaderValue.Parse(file.ETag) };
    }
}
