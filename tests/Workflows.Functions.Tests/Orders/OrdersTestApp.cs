using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workflows.Orders;
using Workflows.Orders.Http;
using Workflows.Orders.Storage;
using Workflows.Shared.Http;
using Workflows.Shared.Storage;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Orders;

/// <summary>
/// The app on the in-memory engine with Orders tables and events queue of its own, millisecond retries and a short
/// approval timeout, plus helpers to seed a catalogue and to drive the HTTP API the way the host does.
/// </summary>
internal sealed class OrdersTestApp(TestApp app) : IAsyncDisposable
{
    /// <summary>What an order may take on a quiet machine (a <see cref="Deadline"/> stretches it under load).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public TestApp App => app;

    public DurableTaskClient Client => app.Client;

    public T Get<T>() where T : notnull => app.Services.GetRequiredService<T>();

    public static async Task<OrdersTestApp> StartAsync(
        Action<IDictionary<string, string?>>? settings = null, Action<IServiceCollection>? services = null)
    {
        var app = await TestApp.StartAsync(
            s =>
            {
                Configure(s);
                settings?.Invoke(s);
            },
            services);
        return new OrdersTestApp(app);
    }

    /// <summary>
    /// Orders tables and queue of the test's own, millisecond retries, and an approval timeout that never fires within a
    /// test: a test approves, cancels or checks an order still waiting, and under load that took more than the one
    /// minute this was (a test of the timeout sets its own, 1 s).
    /// </summary>
    public static void Configure(IDictionary<string, string?> s)
    {
        s["Orders:TablePrefix"] = TestNames.Unique("o");
        s["Orders:EventsQueue"] = TestNames.Unique("events");
        s["Orders:ApprovalThreshold"] = "1000";
        s["Orders:ApprovalTimeout"] = "01:00:00";
        foreach (var retry in new[] { "PaymentRetry", "StepRetry", "CompensationRetry", "CompletionRetry" })
        {
            s[$"Orders:{retry}:MaxAttempts"] = "3";
            s[$"Orders:{retry}:FirstInterval"] = "00:00:00.010";
            s[$"Orders:{retry}:BackoffCoefficient"] = "1";
        }
    }

    /// <summary>Routes every Orders table request through <paramref name="fault"/>, so a test can take tables down.</summary>
    public static void UseFaultyTables(IServiceCollection services, StorageFault fault) =>
        services.AddSingleton(sp => new OrderTables(
            new TableServiceClient(sp.GetRequiredService<IConfiguration>()[StorageRegistration.ConnectionName], fault.TableClientOptions()),
            sp.GetRequiredService<IOptions<OrdersOptions>>()));

    /// <summary>Adds a product at <paramref name="price"/> EUR with the given units per warehouse.</summary>
    public async Task SeedAsync(string sku, decimal price, params (string Warehouse, int Units)[] stock)
    {
        await Get<CatalogueStore>().UpsertAsync(new Product(sku, $"Product {sku}", price, "EUR"), CancellationToken.None);
        foreach (var (warehouse, units) in stock)
        {
            await Get<StockStore>().AddIfMissingAsync(sku, warehouse, units, CancellationToken.None);
        }
    }

    public async Task<TestHttpResponse> PostOrderAsync(object body, string? idempotencyKey = null)
    {
        var headers = idempotencyKey is null ? null : new Dictionary<string, string> { [StartOrderHttp.IdempotencyKeyHeader] = idempotencyKey };
        var request = TestHttp.Request("POST", "/api/orders", body, headers);
        return await (await app.CreateFunction<StartOrderHttp>().StartOrder(request, Client)).ExecuteAsync(request);
    }

    /// <summary>Posts a valid order and returns its id (asserting 202).</summary>
    public async Task<string> StartOrderAsync(OrderBody body)
    {
        var response = await PostOrderAsync(body);
        Assert.True(response.StatusCode == 202, $"{response.StatusCode}: {response.Text}");
        return response.Json<OrderAccepted>()!.Id;
    }

    public async Task<OrderOutcome> RunOrderAsync(OrderBody body)
    {
        var id = await StartOrderAsync(body);
        return await WaitAsync(id);
    }

    public async Task<OrderOutcome> WaitAsync(string id)
    {
        var done = await app.WaitForCompletionAsync(id, Timeout);
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{done.RuntimeStatus}: {done.FailureDetails?.ErrorMessage}");
        return done.ReadOutputAs<OrderOutcome>()!;
    }

    public async Task<TestHttpResponse> GetOrderAsync(string id)
    {
        var request = TestHttp.Request("GET", $"/api/orders/{id}");
        return await (await app.CreateFunction<OrderQueryHttp>().GetOrder(request, id, Client)).ExecuteAsync(request);
    }

    /// <summary><c>GET /api/orders{query}</c> (asserting 200): one page of the order list.</summary>
    public async Task<ListPage<OrderListItem>> ListOrdersAsync(string query)
    {
        var request = TestHttp.Request("GET", $"/api/orders{query}");
        var response = await (await app.CreateFunction<ListOrdersHttp>().ListOrders(request)).ExecuteAsync(request);
        Assert.True(response.StatusCode == 200, $"{response.StatusCode}: {response.Text}");
        return response.Json<ListPage<OrderListItem>>()!;
    }

    public async Task<TestHttpResponse> CommandAsync(string id, string command, object? body = null, IDictionary<string, string>? headers = null)
    {
        var request = TestHttp.Request("POST", $"/api/orders/{id}/{command}", body, headers);
        var function = app.CreateFunction<OrderCommandsHttp>();
        var result = command switch
        {
            "cancel" => await function.CancelOrder(request, id, Client),
            "approve" => await function.ApproveOrder(request, id, Client),
            "compensate" => await function.CompensateOrder(request, id, Client),
            "resume" => await function.ResumeOrder(request, id, Client),
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };
        return await result.ExecuteAsync(request);
    }

    /// <summary>The events on the test's events queue (received, so read once), deserialized as consumers do.</summary>
    public async Task<List<OrderEvent>> ReceiveEventsAsync()
    {
        var queue = await Get<OrderEventPublisher>().GetClientAsync(CancellationToken.None);
        return (await queue.ReceiveMessagesAsync(32)).Value
            .Select(m => System.Text.Json.JsonSerializer.Deserialize<OrderEvent>(m.MessageText, OrderEventPublisher.Json)!)
            .ToList();
    }

    /// <summary>Polls the saga until its custom status (what the commands check) says CompletionFailed, or it has ended (bounded by <see cref="Timeout"/>).</summary>
    public async Task<(OrchestrationRuntimeStatus, OrderStatus?)> ParkedOrEndedAsync(string id)
    {
        var (status, stage) = await Poll.UntilAsync(
            $"order {id} to park in CompletionFailed or end",
            Timeout,
            async ct =>
            {
                var instance = (await Client.GetInstanceAsync(id, getInputsAndOutputs: true, ct))!;
                return (instance.RuntimeStatus, Stage: instance.ReadCustomStatusAs<OrderStage>()?.Status);
            },
            now => now.Stage == OrderStatus.CompletionFailed
                || now.RuntimeStatus is not (OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending),
            TimeSpan.FromMilliseconds(50));
        return (status, stage);
    }

    /// <summary>Polls the order view until it reaches <paramref name="status"/> (bounded by <see cref="Timeout"/>).</summary>
    public Task<OrderView> WaitForStatusAsync(string id, OrderStatus status) => WaitForViewAsync(id, view => view.Status == status);

    /// <summary>Polls the order view until <paramref name="done"/> holds for it (bounded by <see cref="Timeout"/>).</summary>
    public async Task<OrderView> WaitForViewAsync(string id, Func<OrderView, bool> done) =>
        (await WaitForViewAsync(Get<OrderViewStore>(), id, done))!;

    /// <inheritdoc cref="WaitForViewAsync(string, Func{OrderView, bool})"/>
    public static Task<OrderView?> WaitForViewAsync(OrderViewStore views, string id, Func<OrderView, bool> done) =>
        Poll.UntilAsync(
            $"the view of order {id}", Timeout, ct => views.FindAsync(id, ct), view => view is not null && done(view), TimeSpan.FromMilliseconds(50));

    public async Task<StockEntity> StockAsync(string sku, string warehouse) =>
        (await Get<StockStore>().GetStockAsync(sku, CancellationToken.None)).Single(s => s.Warehouse == warehouse);

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
