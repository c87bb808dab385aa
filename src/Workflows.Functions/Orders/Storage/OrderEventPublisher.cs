using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using Workflows.Shared.Storage;

namespace Workflows.Orders.Storage;

/// <summary>
/// The events queue (queue-based load levelling between the saga and the read models). Delivery is at least once: a
/// retried publish may enqueue a duplicate, so every event carries a stable <see cref="OrderEvent.EventId"/>.
/// </summary>
public sealed class OrderEventPublisher(QueueServiceClient service, IOptions<OrdersOptions> options) : IProvisionedStorage
{
    private Task<QueueClient>? _queue;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task PublishAsync(OrderEvent orderEvent, CancellationToken ct)
    {
        var queue = await GetClientAsync(ct);
        await queue.SendMessageAsync(JsonSerializer.Serialize(orderEvent, Json), ct);
    }

    /// <summary>Creates the queue (also the queue trigger's), at start-up.</summary>
    public Task EnsureCreatedAsync(CancellationToken ct) => GetClientAsync(ct);

    /// <summary>The queue, created on first use; a failed create is not cached (storage briefly unreachable).</summary>
    public Task<QueueClient> GetClientAsync(CancellationToken ct)
    {
        var queue = _queue;
        if (queue is null || queue.IsFaulted || queue.IsCanceled)
        {
            _queue = queue = CreateAsync();
        }

        return queue.WaitAsync(ct);
    }

    private async Task<QueueClient> CreateAsync()
    {
        var queue = service.GetQueueClient(options.Value.EventsQueue);
        await queue.CreateIfNotExistsAsync();
        return queue;
    }
}
