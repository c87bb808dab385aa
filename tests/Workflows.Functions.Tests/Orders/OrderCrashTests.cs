using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Orders;
using Workflows.Orders.Http;
using Workflows.Orders.Shipping;
using Workflows.Orders.Storage;
using Workflows.Tests.Shared;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Orders;

/// <summary>A hard crash (SIGKILL of the app process) between a charge and its refund, on the Azure Storage backend.</summary>
public sealed class OrderCrashTests
{
    [Fact]
    public async Task OrderFulfilment_AppKilledBetweenChargeAndRefund_ChargeRefundedExactlyOnce()
    {
        // Arrange: the first app process charges, then hangs booking the shipment (to the undeliverable postal code).
        await using var app = await ChildProcessApp.StartAsync(OrdersTestApp.Configure, typeof(HangingBookings));
        await app.Services.GetRequiredService<CatalogueStore>().UpsertAsync(new Product("LP", "Laptop", 600m, "EUR"), CancellationToken.None);
        await app.Services.GetRequiredService<StockStore>().AddIfMissingAsync("LP", "fra", 5, CancellationToken.None);
        var bookings = HangingBookings.Table(app.Services);
        await bookings.CreateIfNotExistsAsync();
        var id = $"crash-{Guid.NewGuid():N}";
        var request = TestHttp.Request("POST", "/api/orders", OrderBody.Of(("LP", 1)).WithId(id).ShippedTo(LocalCarrier.UndeliverablePostalCode));
        Assert.Equal(202, (await (await app.CreateFunction<StartOrderHttp>().StartOrder(request, app.Client)).ExecuteAsync(request)).StatusCode);
        var ledger = app.Services.GetRequiredService<PaymentLedger>();
        await Poll.UntilAsync("the hanging booking to start", TimeSpan.FromSeconds(180), async ct => (await SideEffects.ReadAsync(bookings, $"{id}:ship:fra", ct)).Count > 0);

        // Act: SIGKILL while the booking hangs; the next process has the app's own carrier, which refuses the booking,
        // so the saga refunds (CreateShipment is redelivered once the dead process's lease and message time out).
        Assert.NotNull(await ledger.FindAsync(id, PaymentLedger.Charge, CancellationToken.None));
        await app.KillProcessAsync();
        await app.StartProcessAsync();
        var done = await app.Client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(180));

        // Assert: the ledger and the gateway each hold one charge and one refund of the same amount.
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("shipment_rejected: fra: undeliverable address", done.ReadOutputAs<OrderOutcome>()!.Reason);
        var entries = await ledger.ListAsync(id, CancellationToken.None);
        Assert.Equal([(PaymentLedger.Charge, 600m), (PaymentLedger.Refund, 600m)], entries.Select(e => (e.Kind, e.Amount)).Order());
        var gateway = await app.Services.GetRequiredService<OrderTables>().LocalGatewayAsync(CancellationToken.None);
        List<string> rows = [];
        await foreach (var row in gateway.QueryAsync<TableEntity>(e => e.PartitionKey == $"{id}:charge"))
        {
            rows.Add(row.RowKey);
        }

        Assert.Equal(["charge", "refund"], rows.Order(StringComparer.Ordinal));
    }
}

/// <summary>
/// App-process services: a carrier whose bookings never return, like a process that dies mid-call. Each booking that
/// started is recorded in <see cref="Table"/> (which the test creates; scope: the booking key), so a test knows when to
/// kill the process.
/// </summary>
internal sealed class HangingBookings : IAppProcessServices
{
    public static TableClient Table(IServiceProvider services) =>
        services.GetRequiredService<TableServiceClient>().GetTableClient($"{services.GetRequiredService<IConfiguration>()["Orders:TablePrefix"]}Hanging");

    public void Configure(IServiceCollection services) =>
        services.AddSingleton<IShippingCarrier>(sp => new HangingCarrier(Table(sp)));

    private sealed class HangingCarrier(TableClient started) : IShippingCarrier
    {
        public async Task<BookingResponse> BookAsync(CarrierShipmentRequest request, CancellationToken ct)
        {
            await SideEffects.RecordAsync(started, request.IdempotencyKey, "book", request.Warehouse, ct);
            return await new TaskCompletionSource<BookingResponse>().Task; // never completes, deaf to shutdown: a crash
        }

        public Task CancelAsync(string idempotencyKey, CancellationToken ct) => Task.CompletedTask;
    }
}
