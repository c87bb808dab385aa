using Microsoft.Playwright;
using Workflows.Tests.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Workflows.Tests.WebConsole;

/// <summary>The console as deployed: the server checks function keys as the Functions host does.</summary>
[Collection(ConsoleTests.Name)]
public sealed class ConsoleKeyTests(ConsoleFixture console) : IAsyncLifetime
{
    private static readonly FunctionKeys Keys = new("function-key-" + Guid.NewGuid().ToString("N"), "admin-key-" + Guid.NewGuid().ToString("N"));
    private FunctionsHttpServer _deployed = null!;

    public async Task InitializeAsync() => _deployed = await FunctionsHttpServer.StartAsync(console.Api.App, Keys);

    public async Task DisposeAsync() => await _deployed.DisposeAsync();

    [Fact]
    public async Task Console_Deployed_AsksForAKeyOnceAndShowsOperatorPartsOnlyToTheAdminKey()
    {
        await ConsolePage.RunAsync(console.Browser, new Uri(_deployed.ConsoleAddress, "#/orders"), async page =>
        {
            // No key yet: the console asks for one.
            var keyInput = page.GetByLabel("Function key or admin (master) key");
            await Expect(keyInput).ToBeVisibleAsync();

            // A function key: orders and assets, but no Workflows section and no approve buttons.
            await keyInput.FillAsync(Keys.FunctionKey);
            await keyInput.PressAsync("Enter");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Orders" })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Workflows" })).ToBeHiddenAsync();
            Assert.Equal(Keys.FunctionKey, await page.EvaluateAsync<string>("sessionStorage.getItem('workflows.key')"));
            Assert.Equal(0, await page.EvaluateAsync<int>("localStorage.length"));

            // The key is kept for the tab: a reload does not ask again.
            await page.ReloadAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Orders" })).ToBeVisibleAsync();

            // The admin key opens the operator parts.
            await page.GetByRole(AriaRole.Button, new() { Name = "Use admin key" }).ClickAsync();
            await keyInput.FillAsync(Keys.AdminKey);
            await keyInput.PressAsync("Enter");
            await page.GetByRole(AriaRole.Link, new() { Name = "Workflows" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Workflows" })).ToBeVisibleAsync();

            // Forgetting the key asks again.
            await page.GetByRole(AriaRole.Button, new() { Name = "Forget key" }).ClickAsync();
            await Expect(keyInput).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task Console_UseAdminKeyWhileAViewLoads_StopsThatViewSoItNeverPaintsOverTheKeyForm()
    {
        await ConsolePage.RunAsync(console.Browser, new Uri(_deployed.ConsoleAddress, "#/orders"), async page =>
        {
            // Arrange: signed in with the function key; the next orders view waits for its products until released.
            var keyInput = page.GetByLabel("Function key or admin (master) key");
            await keyInput.FillAsync(Keys.FunctionKey);
            await keyInput.PressAsync("Enter");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Orders" })).ToBeVisibleAsync();
            var held = new TaskCompletionSource<IRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await page.RouteAsync(url => new Uri(url).AbsolutePath.EndsWith("/api/products", StringComparison.Ordinal), async route =>
            {
                held.TrySetResult(route.Request);
                await release.Task;
                try
                {
                    await route.ContinueAsync();
                }
                catch (PlaywrightException)
                {
                    // The page dropped the request meanwhile.
                }
            });
            await page.EvaluateAsync("location.hash = '#/orders?status=Failed'");
            var loading = await held.Task.WithinAsync(TimeSpan.FromSeconds(30));
            var settled = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            page.RequestFailed += (_, request) => { if (request == loading) settled.TrySetResult("dropped"); };
            page.RequestFinished += (_, request) => { if (request == loading) settled.TrySetResult("finished"); };

            // Act
            await page.GetByRole(AriaRole.Button, new() { Name = "Use admin key" }).ClickAsync();
            release.SetResult();

            // Assert: the old view's request is dropped, and the key form stays.
            Assert.Equal("dropped", await settled.Task.WithinAsync(TimeSpan.FromSeconds(30)));
            await Expect(keyInput).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Orders" })).ToBeHiddenAsync();
        });
    }

    [Fact]
    public async Task Console_ServedFiles_CarryNoKeyAndAreAnonymous()
    {
        // Arrange
        using var http = new HttpClient { BaseAddress = _deployed.ConsoleAddress };

        // Act + Assert: every file is served without a key, and none contains one
        foreach (var name in Workflows.WebConsole.ConsoleFiles.Names)
        {
            using var response = await http.GetAsync(name);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{name}: {(int)response.StatusCode}");
            Assert.DoesNotContain(Keys.FunctionKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Keys.AdminKey, text, StringComparison.Ordinal);
        }
    }
}
