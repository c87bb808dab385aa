using System.Text.Json;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Operations;
using Workflows.Orders;
using Workflows.Orders.Storage;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Orders;

/// <summary>
/// An order's <c>claim|{orderId}</c> rows (one per SKU) leave the stock table when its instance is purged long after it
/// finished, and only then; stock and reservation rows are never touched.
/// </summary>
public sealed class OrderClaimPurgeTests : IAsyncLifetime
{
    private readonly SettableClock _clock = new();
    private readonly StorageFault _fault = new();
    private OrdersTestApp _orders = null!;

    public async Task InitializeAsync() =>
        _orders = await OrdersTestApp.StartAsync(services: s =>
        {
            s.AddSingleton<TimeProvider>(_clock);
            OrdersTestApp.UseFaultyTables(s, _fault);
        });

    public async Task DisposeAsync() => await _orders.DisposeAsync();

    [Fact]
    public async Task RetentionPurge_CompletedAndCompensatedOrders_ClaimRowsGoneLedgerUntouchedRunningOrderKept()
    {
        // Arrange: a completed order; a failed one (line A reserved then released, line B out of stock: released
        // before anything was reserved); an order waiting for approval (running)
        await _orders.SeedAsync("CLP-A", 10m, ("ams", 50));
        await _orders.SeedAsync("CLP-B", 10m, ("ams", 1));
        await _orders.SeedAsync("CLP-C", 900m, ("ams", 5));
        var completed = await _orders.StartOrderAsync(OrderBody.Of(("CLP-A", 2), ("CLP-B", 1)));
        Assert.Equal(OrderStatus.Completed, (await _orders.WaitAsync(completed)).Status);
        var failed = await _orders.StartOrderAsync(OrderBody.Of(("CLP-A", 3), ("CLP-B", 5)));
        Assert.Equal(OrderStatus.Failed, (await _orders.WaitAsync(failed)).Status);
        var running = await _orders.StartOrderAsync(OrderBody.Of(("CLP-A", 1), ("CLP-C", 2)));
        await _orders.WaitForStatusAsync(running, OrderStatus.AwaitingApproval);
        var claimsBefore = await ClaimsAsync("CLP-A", "CLP-B", "CLP-C");
        var ledgerBefore = await LedgerAsync("CLP-A", "CLP-B", "CLP-C");

        // Act: 31 days on, the retention timer runs
        _clock.Now += TimeSpan.FromDays(31);
        await _orders.App.CreateFunction<RetentionTimer>().PurgeExpiredWorkflows(new TimerInfo(), _orders.Client, default);

        // Assert
        Assert.Equal(
            new[] { $"CLP-A/{completed}", $"CLP-A/{failed}", $"CLP-A/{running}", $"CLP-B/{completed}", $"CLP-B/{failed}", $"CLP-C/{running}" }
                .Order(StringComparer.Ordinal),
            claimsBefore);
        Assert.Equal(new[] { $"CLP-A/{running}", $"CLP-C/{running}" }.Order(StringComparer.Ordinal), await ClaimsAsync("CLP-A", "CLP-B", "CLP-C"));
        Assert.Equal(ledgerBefore, await LedgerAsync("CLP-A", "CLP-B", "CLP-C"));
        Assert.Null(await _orders.Client.GetInstanceAsync(completed));
        Assert.Null(await _orders.Client.GetInstanceAsync(failed));
        Assert.NotNull(await _orders.Client.GetInstanceAsync(running));
    }

    [Fact]
    public async Task PurgeWorkflow_JustFinishedOrder_PurgedButClaimRowsStay()
    {
        // Arrange: a late reserve or release of this order may still be queued, so its claim rows must stay
        await _orders.SeedAsync("CLP-D", 10m, ("ams", 5));
        var order = await _orders.StartOrderAsync(OrderBody.Of(("CLP-D", 1)));
        await _orders.WaitAsync(order);

        // Act: an operator purges it at once
        var response = await PurgeOneAsync(order);

        // Assert
        Assert.Equal(200, response.StatusCode);
        Assert.Null(await _orders.Client.GetInstanceAsync(order));
        Assert.Equal([$"CLP-D/{order}"], await ClaimsAsync("CLP-D"));
    }

    [Fact]
    public async Task RetentionPurge_ClaimDeleteFails_InstanceKeptThenPurgedByTheNextRun()
    {
        // Arrange: a completed order, 31 days on; its claim row's delete fails once
        var order = await AgedOrderWhoseClaimDeleteFailsOnceAsync("CLP-E");
        var timer = _orders.App.CreateFunction<RetentionTimer>();

        // Act
        await timer.PurgeExpiredWorkflows(new TimerInfo(), _orders.Client, default);
        var afterFailure = (await _orders.Client.GetInstanceAsync(order), await ClaimsAsync("CLP-E"));
        await timer.PurgeExpiredWorkflows(new TimerInfo(), _orders.Client, default);

        // Assert
        Assert.NotNull(afterFailure.Item1);
        Assert.Equal([$"CLP-E/{order}"], afterFailure.Item2);
        Assert.Null(await _orders.Client.GetInstanceAsync(order));
        Assert.Empty(await ClaimsAsync("CLP-E"));
        Assert.Equal(1, _fault.Injected);
    }

    [Fact]
    public async Task PurgeWorkflows_ClaimDeleteFails_AnswersTheOrderKeptThenPurgesItOnTheNextCall()
    {
        // Arrange: a completed order, 31 days on; its claim row's delete fails once
        var order = await AgedOrderWhoseClaimDeleteFailsOnceAsync("CLP-F");

        // Act: an operator purges by age twice, as a caller would retry once told some were kept
        var first = await PurgeByAgeAsync(30);
        var second = await PurgeByAgeAsync(30);

        // Assert: kept (nothing purged, not "more" either: the same instance would be taken up again at once)
        Assert.Equal((0, false, 1), first);
        Assert.Equal((1, false, 0), second);
        Assert.Null(await _orders.Client.GetInstanceAsync(order));
        Assert.Empty(await ClaimsAsync("CLP-F"));
    }

    [Fact]
    public async Task PurgeWorkflow_ClaimDeleteFails_503ProblemWithoutTheStorageErrorText()
    {
        // Arrange: a completed order, 31 days on; its claim row's delete fails once
        var order = await AgedOrderWhoseClaimDeleteFailsOnceAsync("CLP-G");

        // Act
        var response = await PurgeOneAsync(order);

        // Assert: the storage exception's message ("Status: 503 (Service Unavailable (test fault))...") stays in the log
        Assert.Equal(503, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        Assert.Equal(1, _fault.Injected);
        Assert.DoesNotContain("test fault", response.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Status:", response.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("CLP-G", response.Text, StringComparison.Ordinal);
        Assert.Contains($"'{order}'", response.Text, StringComparison.Ordinal);
        Assert.NotNull(await _orders.Client.GetInstanceAsync(order));
    }

    [Fact]
    public async Task RetentionPurge_OrderInputFromAnOlderVersion_PurgedAnywayNotKeptForever()
    {
        // Arrange: an order instance whose input the current PlaceOrder no longer reads (an older version's shape);
        // it ends Failed. Its claim rows, if any, cannot be named, but the instance must not block retention.
        var old = $"order-old-{Guid.NewGuid():N}";
        await _orders.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(OrderFulfilmentOrchestrator), new { OrderId = 42, Lines = "sku-1 x2" }, new StartOrchestrationOptions(old));
        var finished = await _orders.App.WaitForCompletionAsync(old, OrdersTestApp.Timeout);
        _clock.Now += TimeSpan.FromDays(31);
        var timer = _orders.App.CreateFunction<RetentionTimer>();

        // Act: two runs (a kept instance would still be there after both)
        await timer.PurgeExpiredWorkflows(new TimerInfo(), _orders.Client, default);
        await timer.PurgeExpiredWorkflows(new TimerInfo(), _orders.Client, default);

        // Assert
        Assert.True(OperationsHttp.IsFinished(finished.RuntimeStatus), finished.RuntimeStatus.ToString());
        Assert.Null(await _orders.Client.GetInstanceAsync(old));
    }

    /// <summary>A completed one-line order of <paramref name="sku"/>, 31 days on, whose claim row's next delete fails (503).</summary>
    private async Task<string> AgedOrderWhoseClaimDeleteFailsOnceAsync(string sku)
    {
        await _orders.SeedAsync(sku, 10m, ("ams", 5));
        var order = await _orders.StartOrderAsync(OrderBody.Of((sku, 1)));
        await _orders.WaitAsync(order);
        _clock.Now += TimeSpan.FromDays(31);
        _fault.FailNext(r => r.Method == RequestMethod.Delete && r.Uri.Path.Contains(sku, StringComparison.Ordinal), 503);
        return order;
    }

    /// <summary><c>DELETE /api/workflows/{id}</c> through the function.</summary>
    private async Task<TestHttpResponse> PurgeOneAsync(string instanceId)
    {
        var request = TestHttp.Request("DELETE", $"/api/workflows/{instanceId}");
        return await (await _orders.App.CreateFunction<WorkflowPurgeHttp>().PurgeWorkflow(request, instanceId, _orders.Client))
            .ExecuteAsync(request);
    }

    /// <summary><c>POST /api/workflows/purge</c> through the function: (purged, more, kept) from its 200 body.</summary>
    private async Task<(int Purged, bool More, int Kept)> PurgeByAgeAsync(int olderThanDays)
    {
        var request = TestHttp.Request("POST", "/api/workflows/purge", new { olderThanDays });
        var response = await (await _orders.App.CreateFunction<WorkflowPurgeHttp>().PurgeWorkflows(request, _orders.Client))
            .ExecuteAsync(request);
        Assert.Equal(200, response.StatusCode);
        var body = response.Json<JsonElement>();
        return (body.GetProperty("purged").GetInt32(), body.GetProperty("more").GetBoolean(),
            body.TryGetProperty("kept", out var kept) ? kept.GetInt32() : -1);
    }

    /// <summary>"{sku}/{orderId}" of every claim row of the SKUs, sorted.</summary>
    private async Task<List<string>> ClaimsAsync(params string[] skus) =>
        (await RowsAsync(skus))
            .Where(r => r.RowKey.StartsWith(ReservationClaimEntity.RowPrefix, StringComparison.Ordinal))
            .Select(r => $"{r.PartitionKey}/{r.RowKey[ReservationClaimEntity.RowPrefix.Length..]}")
            .Order(StringComparer.Ordinal).ToList();

    /// <summary>Every stock and reservation row of the SKUs with its counts and state.</summary>
    private async Task<List<string>> LedgerAsync(params string[] skus) =>
        (await RowsAsync(skus))
            .Where(r => !r.RowKey.StartsWith(ReservationClaimEntity.RowPrefix, StringComparison.Ordinal))
            .Select(r => $"{r.PartitionKey}/{r.RowKey} available={r.GetInt32("Available")} reserved={r.GetInt32("Reserved")} state={r.GetString("State")} quantity={r.GetInt32("Quantity")} etag={r.ETag}")
            .Order(StringComparer.Ordinal).ToList();

    private async Task<List<TableEntity>> RowsAsync(string[] skus)
    {
        var table = await _orders.Get<OrderTables>().StockAsync(CancellationToken.None);
        List<TableEntity> rows = [];
        foreach (var sku in skus)
        {
            await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == sku))
            {
                rows.Add(row);
            }
        }

        return rows;
    }
}
