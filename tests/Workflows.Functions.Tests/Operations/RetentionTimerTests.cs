using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Operations;
using Workflows.Orders;
using Workflows.Tests.Orders;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Operations;

public sealed class RetentionTimerTests : IAsyncLifetime
{
    private readonly ShiftedTime _time = new();
    private OrdersTestApp _orders = null!;

    public async Task InitializeAsync() =>
        _orders = await OrdersTestApp.StartAsync(services: s => s.AddSingleton<TimeProvider>(_time));

    public async Task DisposeAsync() => await _orders.DisposeAsync();

    [Fact]
    public async Task PurgeExpiredWorkflows_InstancesFinishedBeforeRetention_PurgedWithoutTouchingTheOrder()
    {
        // Arrange: a completed order, and an order still waiting for approval
        await _orders.SeedAsync("RET-1", 10m, ("ams", 50));
        await _orders.SeedAsync("RET-2", 800m, ("ams", 50));
        var done = await _orders.StartOrderAsync(OrderBody.Of(("RET-1", 1)));
        await _orders.WaitAsync(done);
        var waiting = await _orders.StartOrderAsync(OrderBody.Of(("RET-2", 2)));
        var timer = _orders.App.CreateFunction<RetentionTimer>();

        // Act: today nothing is 30 days old; 31 days on, the finished order's instance is
        await timer.PurgeExpiredWorkflows(new TimerInfo(), _orders.Client, default);
        var keptToday = await _orders.Client.GetInstanceAsync(done);
        _time.Offset = TimeSpan.FromDays(31);
        await timer.PurgeExpiredWorkflows(new TimerInfo(), _orders.Client, default);

        // Assert
        Assert.NotNull(keptToday);
        Assert.Null(await _orders.Client.GetInstanceAsync(done));
        Assert.NotNull(await _orders.Client.GetInstanceAsync(waiting));
        var view = await _orders.GetOrderAsync(done);
        Assert.Equal((200, OrderStatus.Completed), (view.StatusCode, view.Json<Workflows.Orders.Http.OrderResource>()!.Status));
    }

    private sealed class ShiftedTime : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }
}
