using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets;
using Workflows.Assets.Storage;
using Workflows.Assets.Uploads;
using Workflows.Orders;
using Workflows.Tests.Assets;
using Workflows.Tests.Orders;
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

    [Fact]
    public async Task WorkerStart_TableCreationFails_EachOrdersTableIsCreatedOnItsFirstUseAndAnOrderCompletes()
    {
        // Arrange: while the worker starts, storage answers every table creation with a 503 (every SDK attempt).
        var fault = new StorageFault();
        var starting = true;
        fault.FailNext(request => starting && IsTableCreation(request), 503, int.MaxValue);
        await using var app = await TestApp.StartAsync(OrdersTestApp.Configure, fault.InjectIntoAppStorage);
        starting = false;
        var orders = new OrdersTestApp(app);

        // Act
        await orders.SeedAsync("KB", 10.00m, ("ams", 5));
        var outcome = await orders.RunOrderAsync(OrderBody.Of(("KB", 1)));

        // Assert
        Assert.Equal(OrderStatus.Completed, outcome.Status);
    }

    [Fact]
    public async Task WorkerStart_TableCreationFails_AssetTablesAreCreatedOnFirstUseAndAnUploadBecomesReady()
    {
        // Arrange: as above, for the asset record and index tables.
        var fault = new StorageFault();
        var starting = true;
        fault.FailNext(request => starting && IsTableCreation(request), 503, int.MaxValue);
        await using var app = await TestApp.StartAsync(values => AssetsTestApp.Configure(values), fault.InjectIntoAppStorage);
        starting = false;
        var store = app.Services.GetRequiredService<AssetStore>();
        var upload = store.Uploads.GetBlobClient("photo.jpg");
        await upload.UploadAsync(new BinaryData(TestImages.Jpeg(320, 240)));
        var assetId = await AssetsTestApp.AssetIdOfAsync(upload);

        // Act
        await app.CreateFunction<AssetUploadedTrigger>().AssetUploaded(upload, upload.Name, app.Client, CancellationToken.None);
        await app.WaitForCompletionAsync(AssetIds.InstanceId(assetId), AssetsTestApp.Timeout);

        // Assert
        Assert.Equal(nameof(AssetStatus.Ready), (await store.FindAsync(assetId, CancellationToken.None))?.Status);
    }

    private static bool IsTableCreation(Request request) =>
        request.Method == RequestMethod.Post && request.Uri.Path.EndsWith("/Tables", StringComparison.Ordinal);
}
