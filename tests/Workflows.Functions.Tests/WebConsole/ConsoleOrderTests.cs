using System.Net.Http.Json;
using Microsoft.Playwright;
using Workflows.Orders.Http;
using Workflows.Tests.Orders;
using Workflows.Tests.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Workflows.Tests.WebConsole;

[Collection(ConsoleTests.Name)]
public sealed class ConsoleOrderTests(ConsoleFixture console)
{
    [Fact]
    public async Task Console_OrderNeedingApproval_ApprovedInTheConsoleCompletes()
    {
        await ConsolePage.RunAsync(console.Browser, new Uri(console.Api.Server.ConsoleAddress, "#/orders"), async page =>
        {
            // A laptop (1,299 EUR) is above the 1,000 EUR approval limit.
            await PlaceDemoOrderAsync(page, "LP-140", "tok_visa");
            await Expect(page.Locator("h1 .badge")).ToHaveTextAsync("AwaitingApproval");

            await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

            await Expect(page.Locator("h1 .badge")).ToHaveTextAsync("Completed");
            var steps = page.GetByRole(AriaRole.List, new() { Name = "Steps" }).Locator("li");
            await Expect(steps.Last).ToContainTextAsync("Completed");
            await Expect(steps.Filter(new() { HasText = "AwaitingApproval" })).ToHaveCountAsync(1);
            Assert.All(await steps.Locator("time").AllTextContentsAsync(), t => Assert.NotEqual("—", t));
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Approve" })).ToHaveCountAsync(0);
            await ConsolePage.SnapshotAsync(page, "console-order");
        });
    }

    [Fact]
    public async Task Console_DeclinedOrder_ShowsItsCompensations()
    {
        await ConsolePage.RunAsync(console.Browser, new Uri(console.Api.Server.ConsoleAddress, "#/orders"), async page =>
        {
            await PlaceDemoOrderAsync(page, "KB-100", "tok_decline");

            await Expect(page.Locator("h1 .badge")).ToHaveTextAsync("Failed");
            await Expect(page.GetByTestId("failure-reason")).ToContainTextAsync("payment_declined");
            var compensations = page.GetByRole(AriaRole.List, new() { Name = "Compensations run" });
            await Expect(compensations).ToContainTextAsync("RefundPayment");
            await Expect(compensations).ToContainTextAsync("ReleaseStock");

            // The list finds it by status.
            await page.GotoAsync(new Uri(console.Api.Server.ConsoleAddress, "#/orders?status=Failed").ToString());
            await Expect(page.Locator("tbody tr").First.Locator(".badge")).ToHaveTextAsync("Failed");
        });
    }

    [Fact]
    public async Task Console_Operator_SuspendsAndResumesAnInstance()
    {
        // An order waiting for approval is a running instance.
        using var placed = await console.Api.PostAsync("orders", OrderBody.Of(("LP-140", 1)));
        var id = (await placed.Content.ReadFromJsonAsync<OrderAccepted>(HttpTestApp.Json))!.Id;

        await ConsolePage.RunAsync(console.Browser, new Uri(console.Api.Server.ConsoleAddress, $"#/workflows?instanceIdPrefix={id}"), async page =>
        {
            await page.GetByRole(AriaRole.Link, new() { Name = id }).ClickAsync();
            var status = page.Locator("h1 .badge");
            await Expect(status).ToHaveTextAsync("Running");

            await page.GetByRole(AriaRole.Button, new() { Name = "Suspend" }).ClickAsync();
            await Expect(status).ToHaveTextAsync("Suspended");
            await ConsolePage.SnapshotAsync(page, "console-workflow");

            // From the keyboard.
            await page.GetByRole(AriaRole.Button, new() { Name = "Resume" }).FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Expect(status).ToHaveTextAsync("Running");

            // Destructive commands ask first, and for an order name the way that undoes its steps: Escape closes the
            // dialog and leaves the instance running; confirming terminates it anyway.
            await page.GetByRole(AriaRole.Button, new() { Name = "Terminate" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("Its own compensations do not run");
            await Expect(page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("/cancel");
            await page.Keyboard.PressAsync("Escape");
            await Expect(page.GetByRole(AriaRole.Dialog)).ToBeHiddenAsync();
            await Expect(status).ToHaveTextAsync("Running");

            await page.GetByRole(AriaRole.Button, new() { Name = "Terminate" }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Terminate" }).ClickAsync();
            await Expect(status).ToHaveTextAsync("Terminated");
        });
    }

    /// <summary>Fills the demo-order form with one line and a payment token, places it and waits for its page.</summary>
    private static async Task PlaceDemoOrderAsync(IPage page, string sku, string token)
    {
        var summary = page.GetByText("Place a demo order").First;
        if (!await page.GetByRole(AriaRole.Button, new() { Name = "Place order" }).IsVisibleAsync())
        {
            await summary.ClickAsync();
        }

        await page.GetByLabel("Product 1").SelectOptionAsync(sku);
        await page.GetByLabel("Payment").SelectOptionAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Order order-");
    }
}
