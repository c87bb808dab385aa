using Microsoft.Playwright;
using Workflows.Tests.Assets;
using Workflows.Tests.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Workflows.Tests.WebConsole;

[Collection(ConsoleTests.Name)]
public sealed class ConsoleAssetTests(ConsoleFixture console)
{
    [Fact]
    public async Task Console_PhotoDroppedOnTheGallery_BecomesReadyWithThumbnailAndDetails()
    {
        var photo = TestImagesExif.Insert(TestImages.PhotoJpeg(1200, 900), TestExif.PhonePortrait);
        var name = $"{TestNames.Unique("holiday")}.jpg";
        await ConsolePage.RunAsync(console.Browser, new Uri(console.Api.Server.ConsoleAddress, "#/assets"), async page =>
        {
            // Drop the file on the drop zone, as a user dragging it from the desktop would.
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Assets" })).ToBeVisibleAsync();
            var transfer = await page.EvaluateHandleAsync(
                @"([name, base64]) => {
                    const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
                    const transfer = new DataTransfer();
                    transfer.items.add(new File([bytes], name, { type: 'image/jpeg' }));
                    return transfer;
                }",
                new object[] { name, Convert.ToBase64String(photo) });
            await page.DispatchEventAsync("[data-testid=dropzone]", "drop", new { dataTransfer = transfer });

            // The upload's progress reaches 100 and the card goes Processing -> Ready with a loaded thumbnail.
            await Expect(page.GetByLabel($"Upload of {name}")).ToHaveAttributeAsync("value", "100");
            var card = page.Locator(".card", new() { HasText = name });
            await Expect(card).ToHaveAttributeAsync("data-status", "Ready");
            await Expect(card.GetByText("Ready")).ToBeVisibleAsync();
            await Expect(card.Locator("img")).ToHaveJSPropertyAsync("complete", true);
            Assert.True(await card.Locator("img").EvaluateAsync<int>("img => img.naturalWidth") > 0, "the thumbnail did not load");
            await ConsolePage.SnapshotAsync(page, "console-assets");

            // The asset page: every rendition, camera, taken-at, dimensions and a map link for the GPS position.
            await card.GetByRole(AriaRole.Link).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
            await Expect(page.Locator(".renditions li")).ToHaveCountAsync(6);
            await Expect(page.Locator(".meta")).ToContainTextAsync("Contoso Lens 12");
            await Expect(page.Locator(".meta")).ToContainTextAsync("2024-05-17T14:30:05");
            await Expect(page.Locator(".meta")).ToContainTextAsync("900 × 1200 px");
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "48.858222, -2.294500 (map)" })).ToHaveAttributeAsync(
                "href", "https://www.openstreetmap.org/?mlat=48.858222&mlon=-2.294500#map=15/48.858222/-2.294500");
            await Expect(page.Locator("img.preview")).ToHaveJSPropertyAsync("complete", true);
        });
    }

    [Fact]
    public async Task Console_FailingUploads_ShowTheirReasons()
    {
        var broken = $"{TestNames.Unique("broken")}.jpg";
        await ConsolePage.RunAsync(console.Browser, new Uri(console.Api.Server.ConsoleAddress, "#/assets"), async page =>
        {
            // Through the file picker: a truncated JPEG (accepted, then fails in the pipeline) and a text file (415).
            await page.SetInputFilesAsync("#file-picker", new[]
            {
                new FilePayload { Name = broken, MimeType = "image/jpeg", Buffer = TestImages.Truncated(TestImages.PhotoJpeg(400, 300)) },
                new FilePayload { Name = "notes.txt", MimeType = "text/plain", Buffer = TestImages.Text() },
            });

            await Expect(page.Locator(".uploads li", new() { HasText = "notes.txt" })).ToContainTextAsync("Unsupported media type");
            var card = page.Locator(".card", new() { HasText = broken });
            await Expect(card).ToHaveAttributeAsync("data-status", "Failed");
            await Expect(card.Locator(".reason")).ToContainTextAsync("truncated or corrupt");

            await card.GetByRole(AriaRole.Link).ClickAsync();
            await Expect(page.GetByTestId("failure-reason")).ToContainTextAsync("truncated or corrupt");
        });
    }

    [Fact]
    public async Task Console_Gallery_LoadsPagesPastTheFirst()
    {
        var prefix = TestNames.Unique("paged");
        foreach (var i in new[] { 1, 2, 3 })
        {
            await console.Api.UploadAsync($"{prefix}-{i}.jpg", TestImages.Jpeg(48, 32));
        }

        await ConsolePage.RunAsync(console.Browser, new Uri(console.Api.Server.ConsoleAddress, $"#/assets?name={prefix}&pageSize=2"), async page =>
        {
            var cards = page.Locator(".gallery .card");
            await Expect(cards).ToHaveCountAsync(2);
            await Expect(cards.First).ToContainTextAsync($"{prefix}-3.jpg");

            await page.GetByRole(AriaRole.Button, new() { Name = "Load more" }).ClickAsync();

            await Expect(cards).ToHaveCountAsync(3);
            await Expect(cards.Last).ToContainTextAsync($"{prefix}-1.jpg");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Load more" })).ToBeHiddenAsync();
        });
    }
}
