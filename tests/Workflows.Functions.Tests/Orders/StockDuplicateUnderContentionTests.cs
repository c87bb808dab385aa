using System.Text;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Workflows.Orders;
using Workflows.Orders.Storage;
using Workflows.Shared.Storage;
using Workflows.Tests.TestSupport;
using static Workflows.Tests.Orders.OrderFulfilmentTests;

namespace Workflows.Tests.Orders;

/// <summary>
/// A stock step whose batch lost the stock row's ETag to another order retries on the stock read again alone (README,
/// Storage and concurrency). Meanwhile a duplicate of the same step (a redelivered message) may act: the other writers
/// are run at fixed points of the first run's requests (before or after its n-th batch), not by timing.
/// </summary>
public sealed partial class StockDuplicateUnderContentionTests : IAsyncLifetime
{
    private readonly CancellationToken _ct = CancellationToken.None;
    private OrdersTestApp _orders = null!;

    public async Task InitializeAsync() => _orders = await OrdersTestApp.StartAsync();

    public async Task DisposeAsync() => await _orders.DisposeAsync();

    [Fact]
    public async Task ReserveStock_DuplicateTakesTheLastUnitBetweenTheStockConflictAndTheRetry_ReservedOnceNotOutOfStock()
    {
        // Arrange: 2 units. Before the first run's batch another order takes one (its batch fails on the stock ETag);
        // once that failure is back, the step's duplicate reserves the last unit.
        var sku = TestNames.Unique("DUPLAST").ToUpperInvariant();
        await _orders.SeedAsync(sku, 10.00m, ("ams", 2));
        var (order, other) = ($"{sku}-a", $"{sku}-b");
        var plain = _orders.Get<StockStore>();
        var hook = new AroundBatches(
            before: n => n == 1 ? plain.ReserveAsync(other, sku, 1, _ct) : Task.CompletedTask,
            after: n => n == 1 ? plain.ReserveAsync(order, sku, 1, _ct) : Task.CompletedTask);

        // Act
        var first = await Store(hook).ReserveAsync(order, sku, 1, _ct);

        // Assert: the first run answers with the duplicate's reservation, and the unit is reserved once.
        Assert.Equal([new StockAllocation(sku, "ams", 1)], first.Value!);
        Assert.Equal(1, hook.Batches);
        Assert.Single(await plain.GetReservationsAsync(order, sku, _ct));
        Assert.Equal((0, 2), Counts(await _orders.StockAsync(sku, "ams")));
    }

    [Fact]
    public async Task ReserveStock_DuplicateReservesJustBeforeTheRetrysBatch_ReservedOnce()
    {
        // Arrange: 3 units. Another order's reserve fails the first run's first batch; the duplicate reserves between
        // the retry's stock read and its batch, so that batch is built on stock that still suffices.
        var sku = TestNames.Unique("DUPBATCH").ToUpperInvariant();
        await _orders.SeedAsync(sku, 10.00m, ("ams", 3));
        var (order, other) = ($"{sku}-a", $"{sku}-b");
        var plain = _orders.Get<StockStore>();
        var hook = new AroundBatches(
            before: n => n switch
            {
                1 => plain.ReserveAsync(other, sku, 1, _ct),
                2 => plain.ReserveAsync(order, sku, 1, _ct),
                _ => Task.CompletedTask,
            },
            after: _ => Task.CompletedTask);

        // Act
        var first = await Store(hook).ReserveAsync(order, sku, 1, _ct);

        // Assert: the retry's batch met the duplicate's claim row and took nothing; one unit reserved for the order.
        Assert.Equal([new StockAllocation(sku, "ams", 1)], first.Value!);
        Assert.Equal(2, hook.Batches);
        Assert.Single(await plain.GetReservationsAsync(order, sku, _ct));
        Assert.Equal((1, 2), Counts(await _orders.StockAsync(sku, "ams")));
    }

    [Fact]
    public async Task CommitStock_DuplicateAndAnotherOrderCommitBeforeTheBatch_TakenOutOfStockOnce()
    {
        // Arrange: two orders reserved one unit each; before the first run's batch the other order commits (the stock
        // row's ETag moves) and so does the step's duplicate (the stock row's and the reservation's).
        var sku = TestNames.Unique("DUPCOMMIT").ToUpperInvariant();
        await _orders.SeedAsync(sku, 10.00m, ("ams", 5));
        var (order, other) = ($"{sku}-a", $"{sku}-b");
        var plain = _orders.Get<StockStore>();
        await plain.ReserveAsync(order, sku, 1, _ct);
        await plain.ReserveAsync(other, sku, 1, _ct);
        var duplicate = 0;
        var hook = new AroundBatches(
            before: async n =>
            {
                if (n == 1)
                {
                    await plain.CommitAsync(other, sku, _ct);
                    duplicate = await plain.CommitAsync(order, sku, _ct);
                }
            },
            after: _ => Task.CompletedTask);

        // Act
        var first = await Store(hook).CommitAsync(order, sku, _ct);

        // Assert: the unit left stock once. The first batch failed on the stock row (kept the reservation as read), the
        // retry's on the reservation the duplicate had moved, which was then read again: nothing left to move.
        Assert.Equal((0, 1), (first, duplicate));
        Assert.Equal(2, hook.Batches);
        Assert.Equal(ReservationState.Committed, (await plain.GetReservationsAsync(order, sku, _ct)).Single().State);
        Assert.Equal((3, 0), Counts(await _orders.StockAsync(sku, "ams")));
    }

    [Fact]
    public async Task CommitStock_RefusalNamesNoFailedAction_ReadsTheReservationsAgainAndTakesStockOnce()
    {
        // Arrange: as above, on a table service whose batch errors carry no action index (the SDK's
        // FailedTransactionActionIndex is then null): the first run cannot tell the stock row from its reservation.
        var sku = TestNames.Unique("DUPNOINDEX").ToUpperInvariant();
        await _orders.SeedAsync(sku, 10.00m, ("ams", 5));
        var (order, other) = ($"{sku}-a", $"{sku}-b");
        var plain = _orders.Get<StockStore>();
        await plain.ReserveAsync(order, sku, 1, _ct);
        await plain.ReserveAsync(other, sku, 1, _ct);
        var duplicate = 0;
        var hook = new AroundBatches(
            before: async n =>
            {
                if (n == 1)
                {
                    await plain.CommitAsync(other, sku, _ct);
                    duplicate = await plain.CommitAsync(order, sku, _ct);
                }
            },
            after: _ => Task.CompletedTask)
        { WithoutFailedIndex = true };

        // Act
        var first = await Store(hook).CommitAsync(order, sku, _ct);

        // Assert: no index reads everything again, so the one refusal found the reservation already committed.
        Assert.Equal((1, 1), (hook.IndexesRemoved, hook.Batches));
        Assert.Equal((0, 1), (first, duplicate));
        Assert.Equal((3, 0), Counts(await _orders.StockAsync(sku, "ams")));
    }

    /// <summary>A stock store on a client of its own whose batches go through <paramref name="hook"/>.</summary>
    private StockStore Store(AroundBatches hook)
    {
        var options = new TableClientOptions();
        options.AddPolicy(hook, HttpPipelinePosition.PerCall);
        return new StockStore(new OrderTables(
            new TableServiceClient(_orders.Get<IConfiguration>()[StorageRegistration.ConnectionName], options),
            _orders.Get<IOptions<OrdersOptions>>()));
    }

    /// <summary>Runs <c>before</c> ahead of the n-th table batch (1-based) and <c>after</c> once its answer is back.</summary>
    private sealed partial class AroundBatches(Func<int, Task> before, Func<int, Task> after) : HttpPipelinePolicy
    {
        private int _batches;
        private int _indexesRemoved;

        public int Batches => _batches;

        /// <summary>Batch answers lose the failed action's index (a service that does not name it).</summary>
        public bool WithoutFailedIndex { get; init; }

        public int IndexesRemoved => _indexesRemoved;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (message.Request.Method != RequestMethod.Post || !message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal))
            {
                await ProcessNextAsync(message, pipeline);
                return;
            }

            var n = Interlocked.Increment(ref _batches);
            await before(n);
            await ProcessNextAsync(message, pipeline);
            if (WithoutFailedIndex && message.Response.ContentStream is { } body)
            {
                // A refused action's message starts "<index>:" (the SDK reads the index from it): answer without it.
                var text = await new StreamReader(body).ReadToEndAsync();
                var stripped = FailedIndex().Replace(text, "\"value\":\"");
                Interlocked.Add(ref _indexesRemoved, stripped == text ? 0 : 1);
                message.Response.ContentStream = new MemoryStream(Encoding.UTF8.GetBytes(stripped));
            }

            await after(n);
        }

        [GeneratedRegex("\"value\":\"[0-9]+:")]
        private static partial Regex FailedIndex();
    }
}
