using System.Runtime.CompilerServices;
using Microsoft.Playwright;
using Workflows.Tests.Contract;

namespace Workflows.Tests.WebConsole;

/// <summary>
/// Runs a console scenario in a fresh browser context (its own sessionStorage). When the scenario fails, a full-page
/// screenshot goes to <c>tests/Workflows.Functions.Tests/TestResults/console/{test}.png</c> (a CI artefact). With
/// <c>WORKFLOWS_CONSOLE_SCREENSHOTS</c> set to a folder, <see cref="SnapshotAsync"/> also saves named pictures there
/// (how the README's screenshots are made).
/// </summary>
internal static class ConsolePage
{
    public static string FailureFolder => Path.Combine(Path.GetDirectoryName(FunctionsReference.ReadmePath)!, "tests", "Workflows.Functions.Tests", "TestResults", "console");

    public static async Task RunAsync(
        IBrowser browser, Uri start, Func<IPage, Task> scenario, BrowserNewContextOptions? options = null, [CallerMemberName] string test = "")
    {
        await using var context = await browser.NewContextAsync(options ?? new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        // Playwright's own timeouts (30 s for an action, 60 s set for an expectation) cannot follow the load while they
        // run: stretched by the load as the scenario starts (the console's tests run one at a time).
        context.SetDefaultTimeout((float)Deadline.ForClient(TimeSpan.FromSeconds(30)).TotalMilliseconds);
        Assertions.SetDefaultExpectTimeout((float)Deadline.ForClient(TimeSpan.FromSeconds(60)).TotalMilliseconds);
        var page = await context.NewPageAsync();
        List<string> errors = [];
        page.PageError += (_, error) => errors.Add(error);
        try
        {
            await page.GotoAsync(start.ToString());
            await scenario(page);
            Assert.True(errors.Count == 0, $"Script errors in the page: {string.Join("; ", errors)}");
        }
        catch
        {
            Directory.CreateDirectory(FailureFolder);
            await page.ScreenshotAsync(new() { Path = Path.Combine(FailureFolder, $"{test}.png"), FullPage = true });
            throw;
        }
    }

    /// <summary>Saves a picture for the docs when <c>WORKFLOWS_CONSOLE_SCREENSHOTS</c> names a folder; otherwise nothing.</summary>
    public static async Task SnapshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("WORKFLOWS_CONSOLE_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{name}.png"), FullPage = false });
        }
    }
}
