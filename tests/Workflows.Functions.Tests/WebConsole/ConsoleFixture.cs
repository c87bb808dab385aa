using Microsoft.Playwright;
using Workflows.Orders;
using Workflows.Tests.Assets;
using Workflows.Tests.Orders;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.WebConsole;

/// <summary>
/// One app behind the real HTTP server (in-memory engine, Azurite; demo catalogue seeded, short retries, storage outages
/// on demand) and one headless Chromium for every console test. Chromium is Debian's (<c>apt-get install chromium</c>; <c>.ci/run</c> does
/// it when missing), or the one <c>WORKFLOWS_CHROMIUM</c> names: Playwright's own browser download is not used.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public const string ChromiumVariable = "WORKFLOWS_CHROMIUM";

    private IPlaywright _playwright = null!;

    public HttpTestApp Api { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Fails the app's storage requests to a path (e.g. the events queue) while a test sets it; null otherwise.</summary>
    internal StorageFault Outage { get; } = new();

    public static string ChromiumPath => Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"No Chromium at {ChromiumPath}: install it (Debian/Ubuntu: apt-get install -y chromium) or set {ChromiumVariable}.");
        }

        Api = await HttpTestApp.StartAsync(
            s =>
            {
                OrdersTestApp.Configure(s);
                AssetsTestApp.Configure(s);
            },
            Outage.InjectIntoAppStorage);
        await Api.Get<DemoData>().SeedAsync(CancellationToken.None);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Api is not null)
        {
            await Api.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleTests : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "Web console in Chromium";
}
