using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Workflows.Orders.Storage;
using Workflows.Shared.Storage;

namespace Workflows.Orders;

public sealed class SalesViewFunction(SalesViewStore sales, ILogger<SalesViewFunction> logger)
{
    /// <summary>
    /// Maintains sales per SKU from the events queue: each OrderCompleted is applied exactly once per SKU (duplicates
    /// and redeliveries are recognised by event id); other events don't change sales.
    /// </summary>
    [Function(nameof(UpdateSalesView))]
    public async Task UpdateSalesView(
        [QueueTrigger("%Orders:EventsQueue%", Connection = StorageRegistration.ConnectionName)] string message,
        CancellationToken ct)
    {
        var orderEvent = JsonSerializer.Deserialize<OrderEvent>(message, OrderEventPublisher.Json)
            ?? throw new JsonException("Empty order event.");
        if (orderEvent.Type != OrderEventType.OrderCompleted)
        {
            return;
        }

        foreach (var line in orderEvent.Lines)
        {
            if (!await sales.ApplyAsync(orderEvent.EventId, line.Sku, line.Quantity, line.LineTotal, ct))
            {
                logger.LogInformation("{EventId} already applied to {Sku}", orderEvent.EventId, line.Sku);
            }
        }
    }
}
