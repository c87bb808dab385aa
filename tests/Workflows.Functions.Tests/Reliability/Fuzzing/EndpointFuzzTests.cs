using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Workflows.Orders;
using Workflows.Orders.Http;
using Workflows.Orders.Storage;
using Workflows.Tests.Assets;
using Workflows.Tests.Orders;
using Workflows.Tests.TestSupport;
using Xunit.Abstractions;

namespace Workflows.Tests.Reliability.Fuzzing;

/// <summary>
/// Property-based fuzzing (FsCheck) of the order, workflow and asset endpoints through the real HTTP server in front
/// of the app's HTTP functions: generated bodies, ids, route values, Idempotency-Key headers and query strings never
/// get a 5xx; every 4xx is a problem-details body (<c>application/problem+json</c> with its title and status); input
/// valid by construction gets a 2xx, input invalid by construction a 4xx. A failure is shrunk to the smallest request.
/// Quick: 250 order starts (each valid one runs a saga) and 400 other requests; <c>WORKFLOWS_RELIABILITY=long</c>: 5,000 each.
/// </summary>
[Collection(nameof(ReliabilityRunsAlone))]
public sealed class EndpointFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, int> _tried = new();
    private HttpTestApp _api = null!;
    private string _orderId = null!;

    public async Task InitializeAsync()
    {
        _api = await HttpTestApp.StartAsync(s =>
        {
            OrdersTestApp.Configure(s);
            AssetsTestApp.Configure(s);
        });
        await _api.Get<CatalogueStore>().UpsertAsync(new Product(OrderBodyFuzz.Sku, "Fuzz", 1m, "EUR"), CancellationToken.None);
        await _api.Get<StockStore>().AddIfMissingAsync(OrderBodyFuzz.Sku, "ams", 1_000_000, CancellationToken.None);
        using var placed = await _api.PostAsync("orders", OrderBody.Of((OrderBodyFuzz.Sku, 1)));
        _orderId = (await placed.Content.ReadFromJsonAsync<OrderAccepted>(HttpTestApp.Json))!.Id;
    }

    [Fact]
    public void OrderStart_GeneratedBodiesAndKeys_NeverA5xxEveryRejectionAProblem() =>
        Run("order start", OrderBodyFuzz.Requests, quick: 250);

    [Fact]
    public void IdsRoutesAndQueries_GeneratedForEveryEndpoint_NeverA5xxEveryRejectionAProblem() =>
        Run("ids, commands, queries", RouteFuzz.Requests([_orderId]), quick: 400);

    private void Run(string name, Gen<FuzzRequest> requests, int quick)
    {
        var run = ReliabilityRun.Current;
        var config = Config.QuickThrowOnFailure
            .WithMaxTest(run.Pick(quick, 5000))
            .WithReplay(new Replay(new Rnd((ulong)run.Seed, 0x9E3779B97F4A7C15UL), null));

        Check.One(config, Prop.ForAll(requests.ToArbitrary(), request => Answer(request).GetAwaiter().GetResult()));

        output.WriteLine($"endpoint fuzzing, {name} ({run.Name}, seed {run.Seed}): {_tried.Values.Sum()} requests, 0 failures; " +
            string.Join(", ", _tried.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key} {t.Value}")));
    }

    private async Task Answer(FuzzRequest request)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.PathAndQuery);
        if (request.IdempotencyKey is not null)
        {
            message.Headers.TryAddWithoutValidation(StartOrderHttp.IdempotencyKeyHeader, request.IdempotencyKey);
        }

        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        using var response = await _api.Http.SendAsync(message);
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        _tried.AddOrUpdate($"{request.Kind} {status}", 1, (_, n) => n + 1);

        Assert.True(status < 500, $"{status} for {request}: {body}");
        Assert.False(request.Expect == FuzzExpectation.Rejected && status < 400, $"{status} for invalid {request}: {body}");
        Assert.False(request.Expect == FuzzExpectation.Accepted && status >= 300, $"{status} for valid {request}: {body}");
        if (status >= 400)
        {
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{status} without a problem for {request}: {body}");
            var problem = JsonSerializer.Deserialize<JsonElement>(body);
            Assert.True(problem.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String, $"no title: {body}");
            Assert.True(problem.TryGetProperty("status", out var code) && code.GetInt32() == status, $"no status {status}: {body}");
        }
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();
}
