using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Shared;

/// <summary>
/// What the app binds to or uses exists once the worker has started, so the host's triggers never poll a missing
/// container or queue (a 404 warning on every poll of an idle app).
/// </summary>
public sealed class StorageProvisioningTests
{
    [Fact]
    public async Task WorkerStart_FreshStorageAccount_EveryContainerQueueAndTableTheAppUsesExists()
    {
        // Arrange: an empty storage account of this test's own; the sample settings' names.
        await using var fresh = await Azurite.StartFreshAsync();

        // Act
        await using var app = await TestApp.StartAsync(s => s["WorkflowsStorage"] = fresh.ConnectionString);

        // Assert
        List<string> containers = [], queues = [], tables = [];
        await foreach (var container in new BlobServiceClient(fresh.ConnectionString).GetBlobContainersAsync(BlobContainerTraits.None, BlobContainerStates.None, null, default))
        {
            containers.Add(container.Name);
        }

        await foreach (var queue in new QueueServiceClient(fresh.ConnectionString).GetQueuesAsync())
        {
            queues.Add(queue.Name);
        }

        await foreach (var table in new TableServiceClient(fresh.ConnectionString).QueryAsync())
        {
            tables.Add(table.Name);
        }

        Assert.Superset(new HashSet<string> { "uploads", "http-uploads", "originals", "renditions", "quarantine" }, containers.ToHashSet());
        Assert.Superset(new HashSet<string> { "webjobs-blobtrigger-poison", "order-events", "asset-ready" }, queues.ToHashSet());
        Assert.Superset(
            new HashSet<string> { "assets", "ordersProducts", "ordersStock", "ordersPayments", "ordersShipments", "ordersViews", "ordersSales" },
            tables.ToHashSet());
    }
}
