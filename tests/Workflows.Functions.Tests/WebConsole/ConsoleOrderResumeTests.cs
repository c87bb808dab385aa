using System.Net.Http.Json;
using Azure.Core;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Workflows.Orders;
using Workflows.Orders.Http;
using Workflows.Tests.Orders;
using Workflows.Tests.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Workflows.Tests.WebConsole;

/// <summary>
/// An order parked in its finishing step (its event could not be published while the events queue was down): the order
/// page says so, and an operator resumes it from there once the queue is back.
/// </summary>
[Collection(ConsoleTests.Name)]
public sealed class ConsoleOrderResumeTests(ConsoleFixture console) : IDisposable
{
    private volatile bool _viewWritesDown;

    /// <summary>Whatever the scenario did, the next test finds the events queue and the order views up.</summary>
    public void Dispose()
    {
        console.Outage.FailPathsContaining = null;
        _viewWritesDown = false;
    }

    [Fact]
    public async Task Console_OrderWhoseCompletedEventCannotBePublished_ResumedInTheConsoleCompletes()
    {
        // Arrange: the events queue is down when a keyboard (below the approval limit) is ordered.
        var id = await PlaceWhileTheEventsQueueIsDownAsync("tok_visa");

        await ConsolePage.RunAsync(console.Browser, new Uri(console.Api.Server.ConsoleAddress, $"#/orders/{id}"), async page =>
        {
            var parked = page.GetByTestId("completion-failed");
            await Expect(parked).ToContainTextAsync("could not be published");
            await Expect(parked).ToContainTextAsync("Nothing will be undone");
            await Expect(page.Locator("h1 .badge")).ToHaveTextAsync("CompletionFailed");

            // The list finds it by that status.
            await page.GotoAsync(new Uri(console.Api.Server.ConsoleAddress, "#/orders?status=CompletionFailed").ToString());
            await Expect(page.GetByLabel("Status")).ToHaveValueAsync("CompletionFailed");
            await page.GetByRole(AriaRole.Link, new() { Name = id }).ClickAsync();

            // Act: the queue is back; the operator resumes the order.
            console.Outage.FailPathsContaining = null;
            await parked.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();

            // Assert
            await Expect(page.Locator("#status")).ToHaveTextAsync("Resume sent");
            await Expect(page.Locator("h1 .badge")).ToHaveTextAsync("Completed");
            await Expect(parked).ToHaveCountAsync(0);
            var steps = page.GetByRole(AriaRole.List, new() { Name = "Steps" }).Locator("li");
            await Expect(steps.Filter(new() { HasText = "RetryCompletion by" })).ToHaveCountAsync(1);
            await Expect(page.GetByRole(AriaRole.List, new() { Name = "Compensations run" })).ToHaveCountAsync(0);
        });
    }

    [Fact]
    public async Task Console_DeclinedOrderWhoseEventCannotBePublished_StaysFailedAndIsResumedInTheConsole()
    {
        // Arrange: the events queue is down when an order is paid with a card that is declined.
        var id = await PlaceWhileTheEventsQueueIsDownAsync("tok_decline");

        await ConsolePage.RunAsync(console.Browser, new Uri(console.Api.Server.ConsoleAddress, $"#/orders/{id}"), async page =>
        {
            // Its outcome stands (Failed, compensated) while the instance waits for an operator.
            var parked = page.GetByTestId("completion-failed");
            await Expect(parked).ToContainTextAsync("OrderFailed event could not be published");
            await Expect(page.Locator("h1 .badge")).ToHaveTextAsync("Failed");
            await Expect(page.GetByTestId("failure-reason")).ToContainTextAsync("payment_declined");

            // The list's CompletionFailed filter finds it too, though its status is Failed.
            await page.GotoAsync(new Uri(console.Api.Server.ConsoleAddress, "#/orders?status=CompletionFailed").ToString());
            await Expect(page.Locator($"tr[data-order-id='{id}'] .badge")).ToHaveTextAsync(["Failed", "CompletionFailed"]);
            await page.GetByRole(AriaRole.Link, new() { Name = id }).ClickAsync();

            // Act
            console.Outage.FailPathsContaining = null;
            await parked.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();

            // Assert: the instance ends; the order is still Failed for its decline.
            await Expect(page.GetByText("Instance Completed")).ToBeVisibleAsync();
            await Expect(parked).ToHaveCountAsync(0);
            await Expect(page.Locator("h1 .badge")).ToHaveTextAsync("Failed");
            await Expect(page.GetByTestId("failure-reason")).ToContainTextAsync("payment_declined");
        });
    }

    [Fact]
    public async Task Console_OrderParkedWhileItsViewCannotBeWritten_ShowsThePanelAndIsResumed()
    {
        // Arrange: the order views refuse writes (reads still work) when a keyboard is ordered: the order cannot
        // record a step, fails, and parks because it cannot record Failed either. Its view never gets written.
        var views = "/" + console.Api.Get<IOptions<OrdersOptions>>().Value.TablePrefix + "Views";
        _viewWritesDown = true;
        console.Outage.FailNext(r => _viewWritesDown && r.Method != RequestMethod.Get && r.Uri.Path.Contains(views, StringComparison.Ordinal), 503, int.MaxValue);
        using var placed = await console.Api.PostAsync("orders", OrderBody.Of(("KB-100", 1)));
        var id = (await placed.Content.ReadFromJsonAsync<OrderAccepted>(HttpTestApp.Json))!.Id;

        await ConsolePage.RunAsync(console.Browser, new Uri(console.Api.Server.ConsoleAddress, $"#/orders/{id}"), async page =>
        {
            // The page shows the park from the saga, though the order's record says nothing of it.
            var parked = page.GetByTestId("completion-failed");
            await Expect(parked).ToContainTextAsync("could not be recorded");
            await Expect(page.GetByText("Instance Running")).ToBeVisibleAsync();

            // Act: storage is back; the operator resumes the order.
            _viewWritesDown = false;
            await parked.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();

            // Assert: the record catches up: Failed, as it could not be processed (an unexpected error: the instance
            // fails too, once the event is out).
            await Expect(page.GetByText("Instance Failed")).ToBeVisibleAsync();
            await Expect(parked).ToHaveCountAsync(0);
            await Expect(page.Locator("h1 .badge")).ToHaveTextAsync("Failed");
            await Expect(page.GetByTestId("failure-reason")).ToContainTextAsync("processing_error");
        });
    }

    [Fact]
    public async Task Console_OrderParkedInCompensationFailedWhileItsViewCannotBeWritten_OffersRetryAndEndsFailed()
    {
        // Arrange: once a keyboard order is charged (its payment ledger written), the order views and table transactions
        // (the stock's) refuse writes (reads still work): the order cannot record its shipping step, fails, cannot release
        // its stock either, and parks in CompensationFailed. That is never recorded: its view names no outstanding compensation.
        var prefix = "/" + console.Api.Get<IOptions<OrdersOptions>>().Value.TablePrefix;
        var charged = false;
        _viewWritesDown = true;
        console.Outage.FailNext(
            r =>
            {
                var write = r.Method != RequestMethod.Get;
                charged |= write && r.Uri.Path.Contains(prefix + "Payments", StringComparison.Ordinal);
                return _viewWritesDown && charged && write
                    && (r.Uri.Path.Contains(prefix + "Views", StringComparison.Ordinal) || r.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal));
            },
            503,
            int.MaxValue);
        using var placed = await console.Api.PostAsync("orders", OrderBody.Of(("KB-100", 1)));
        var id = (await placed.Content.ReadFromJsonAsync<OrderAccepted>(HttpTestApp.Json))!.Id;

        await ConsolePage.RunAsync(console.Browser, new Uri(console.Api.Server.ConsoleAddress, $"#/orders/{id}"), async page =>
        {
            // The page shows the park from the saga, though the order's record says nothing of it.
            var parked = page.GetByTestId("compensation-failed");
            await Expect(parked).ToContainTextAsync("could not be recorded");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel order" })).ToHaveCountAsync(0);

            // Act: storage is back; the operator retries the compensations.
            _viewWritesDown = false;
            await parked.GetByRole(AriaRole.Button, new() { Name = "Retry compensations" }).ClickAsync();

            // Assert: the stock claim is released and the record catches up: Failed, as it could not be processed.
            await Expect(page.GetByText("Instance Failed")).ToBeVisibleAsync();
            await Expect(parked).ToHaveCountAsync(0);
            await Expect(page.Locator("h1 .badge")).ToHaveTextAsync("Failed");
            await Expect(page.GetByTestId("failure-reason")).ToContainTextAsync("processing_error");
        });
    }

    /// <summary>Takes the events queue down, places a one-keyboard order paid with <paramref name="token"/>, and returns its id.</summary>
    private async Task<string> PlaceWhileTheEventsQueueIsDownAsync(string token)
    {
        console.Outage.FailPathsContaining = "/" + console.Api.Get<IOptions<OrdersOptions>>().Value.EventsQueue + "/";
        using var placed = await console.Api.PostAsync("orders", OrderBody.Of(("KB-100", 1)).PaidWith(token));
        return (await placed.Content.ReadFromJsonAsync<OrderAccepted>(HttpTestApp.Json))!.Id;
    }
}
