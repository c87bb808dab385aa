using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Workflows.Tests.WebConsole;

[Collection(ConsoleTests.Name)]
public sealed class ConsoleLayoutTests(ConsoleFixture console)
{
    [Theory]
    [InlineData("#/assets", "Assets")]
    [InlineData("#/orders", "Orders")]
    [InlineData("#/workflows", "Workflows")]
    public async Task Console_OnAPhone_FitsTheScreenWidth(string route, string heading)
    {
        var phone = new BrowserNewContextOptions { ViewportSize = new() { Width = 375, Height = 740 }, IsMobile = true, HasTouch = true };
        await ConsolePage.RunAsync(console.Browser, new Uri(console.Api.Server.ConsoleAddress, route), async page =>
        {
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();

            var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");

            Assert.True(overflow <= 0, $"{route} is {overflow}px wider than a 375px screen");
        }, phone, $"Console_OnAPhone_{heading}");
    }
}
