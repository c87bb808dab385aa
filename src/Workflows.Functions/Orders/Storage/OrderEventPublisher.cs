using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace Workflows.Orders.Storage;

/// <summary>
/// The events queue (queue-based load levelling between the saga and the read models). Delivery is at least once: a
/// retried publish may enqueue a duplicate, so every event carries a stable <see cref="OrderEvent.EventId"/>.
/// </summary>
public sealed class OrderEventPublisher(QueueServiceClient service, IOptions<OrdersOptions> options)
{
    private readonly Lazy<Task<QueueClient>> _queue = new(async () =>
    {
        var queue = service.GetQueueClient(options.Value.EventsQueue);
        await queue.CreateIfNotExistsAsync();
        return queue;
    });

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task PublishAsync(OrderEvent orderEvent, CancellationToken ct)
    {
        var queue = await _queue.Value.WaitAsync(ct);
        await queue.SendMessageAsync(JsonSerializer.Serialize(orderEvent, Json), ct);
    }

    public async Task<QueueClient> GetClientAsync(CancellationToken ct) => await _queue.Value.WaitAsync(ct);
}
