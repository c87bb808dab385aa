using System.Diagnostics;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets;
using Workflows.Assets.Http;
using Workflows.Assets.Storage;
using Workflows.Assets.Uploads;
using Workflows.Orders;
using Workflows.Orders.Http;
using Workflows.Orders.Shipping;
using Workflows.Orders.Storage;
using Workflows.Tests.Orders;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Reliability;

/// <summary>
/// The work the reliability runs put in flight, through the app's own entry points (the order and upload HTTP
/// functions, the blob trigger) on any test app: its services and its client. A caller that gets no answer or a 5xx
/// tries again with the same order id, as a client with an idempotency key does.
/// </summary>
internal sealed class Workload(IServiceProvider services, DurableTaskClient client, int attempts = 1)
{
    /// <summary>Units per warehouse (two warehouses each): CL-SCARCE runs out early, so later orders for it are compensated.</summary>
    public static readonly IReadOnlyDictionary<string, (decimal Price, int PerWarehouse)> Catalogue = new Dictionary<string, (decimal, int)>(StringComparer.Ordinal)
    {
        ["CL-A"] = (20m, 2000),
        ["CL-B"] = (35m, 1000),
        ["CL-SCARCE"] = (50m, 3),
    };

    public static IReadOnlyDictionary<string, int> Seeded => Catalogue.ToDictionary(c => c.Key, c => c.Value.PerWarehouse * 2);

    public int ClientRetries { get; private set; }

    public async Task SeedAsync()
    {
        foreach (var (sku, (price, units)) in Catalogue)
        {
            await services.GetRequiredService<CatalogueStore>().UpsertAsync(new Product(sku, sku, price, "EUR"), CancellationToken.None);
            await services.GetRequiredService<StockStore>().AddIfMissingAsync(sku, "ams", units, CancellationToken.None);
            await services.GetRequiredService<StockStore>().AddIfMissingAsync(sku, "fra", units, CancellationToken.None);
        }

        await services.GetRequiredService<AssetStore>().EnsureCreatedAsync();
    }

    /// <summary>The n-th order of a mix that takes every path: plain, split, declined, refunded, retried, out of stock.</summary>
    public static OrderBody Order(int n) => ((n % 6) switch
    {
        0 => OrderBody.Of(("CL-SCARCE", 2)),
        1 => OrderBody.Of(("CL-A", 1)).PaidWith("tok_decline"),
        2 => OrderBody.Of(("CL-B", 1)).ShippedTo(LocalCarrier.UndeliverablePostalCode),
        3 => OrderBody.Of(("CL-A", 2)).PaidWith("tok_transient_1"),
        4 => OrderBody.Of(("CL-A", 3), ("CL-B", 1)),
        _ => OrderBody.Of(("CL-A", 1)),
    }).WithId($"rel-{n}-{Guid.NewGuid():N}");

    /// <summary>POST /api/orders until it answers 202 or 200 (same id); returns the order id.</summary>
    public async Task<string> PlaceOrderAsync(OrderBody body)
    {
        for (var attempt = 1; ; attempt++)
        {
            var request = TestHttp.Request("POST", "/api/orders", body);
            try
            {
                var response = await (await Create<StartOrderHttp>().StartOrder(request, client)).ExecuteAsync(request);
                if (response.StatusCode is 202 or 200)
                {
                    return response.Json<OrderAccepted>()!.Id;
                }

                Assert.True(response.StatusCode >= 500 && attempt < attempts, $"{response.StatusCode}: {response.Text}");
            }
            catch (Exception) when (attempt < attempts)
            {
                // No answer (a 500 from the host): the client tries again with the same id.
            }

            ClientRetries++;
        }
    }

    /// <summary>POST /api/assets (asserting 202); returns the asset id, or null when every attempt failed.</summary>
    public async Task<string?> UploadOverHttpAsync(string name, byte[] content)
    {
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            var request = TestHttp.Request("POST", $"/api/assets?name={name}", new MemoryStream(content), "image/jpeg");
            try
            {
                var response = await (await Create<UploadAssetHttp>().UploadAsset(request, client, default)).ExecuteAsync(request);
                if (response.StatusCode == 202)
                {
                    return response.Json<AssetAccepted>()!.Id;
                }

                Assert.True(response.StatusCode >= 500, $"{response.StatusCode}: {response.Text}");
            }
            catch (Exception) when (attempts > 1)
            {
                // A failed upload may still have stored its blob: the reconciliation sweep takes that in.
            }

            ClientRetries++;
        }

        return null;
    }

    /// <summary>A blob written straight into uploads, and the blob trigger fired for it as the host would (and retried, up to
    /// the attempts); returns the asset id.</summary>
    public async Task<string> DropUploadAsync(string name, byte[] content)
    {
        var blob = services.GetRequiredService<AssetStore>().Uploads.GetBlobClient(name);
        string assetId; // from the written version: the pipeline may have taken the upload in before the trigger returns
        using (StorageFault.OutsideTheApp())
        {
            var written = await blob.UploadAsync(new BinaryData(content)); // the uploader's own write, not the app's
            assetId = AssetIds.FromUpload(blob.BlobContainerName, blob.Name, written.Value.ETag);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Create<AssetUploadedTrigger>().AssetUploaded(blob, name, client, default);
                break;
            }
            catch (Exception) when (attempt < attempts)
            {
                ClientRetries++;
            }
            catch (Exception) when (attempts > 1)
            {
                break; // the host gives up on the blob (poison queue); the reconciliation sweep takes it in
            }
        }

        return assetId;
    }

    /// <summary>
    /// Waits (at most <paramref name="minutes"/>) until every instance has finished or parked for an operator (an order in
    /// CompletionFailed or CompensationFailed); returns how long that took.
    /// </summary>
    public static async Task<TimeSpan> WaitUntilFinishedAsync(DurableTaskClient client, IEnumerable<string> instanceIds, int minutes = 5)
    {
        var clock = Stopwatch.StartNew();
        var pending = instanceIds.ToList();
        using var deadline = new Deadline(TimeSpan.FromMinutes(minutes), runningOutFails: false);
        while (pending.Count > 0 && !deadline.IsCancellationRequested)
        {
            List<string> still = [];
            foreach (var id in pending)
            {
                var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true);
                if (instance is null || (!instance.IsCompleted && ParkedCommand(instance) is null))
                {
                    still.Add(id);
                }
            }

            pending = still;
            await Task.Delay(pending.Count > 0 ? 500 : 0);
        }

        return clock.Elapsed;
    }

    /// <summary>
    /// What an operator does once storage is healthy again (README, Orders): resumes every order parked in
    /// CompletionFailed and retries the compensations of every one parked in CompensationFailed, until none is parked
    /// (at most 10 rounds); returns how many requests that took.
    /// </summary>
    public async Task<int> ResolveParkedOrdersAsync(IReadOnlyCollection<string> orderIds)
    {
        var requests = 0;
        for (var round = 0; round < 10; round++)
        {
            var parked = 0;
            foreach (var id in orderIds)
            {
                var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true);
                if (instance is { IsCompleted: false } && ParkedCommand(instance) is { } command)
                {
                    parked++;
                    requests++;
                    var request = TestHttp.Request("POST", $"/api/orders/{id}/{command}");
                    var commands = Create<OrderCommandsHttp>();
                    await (command == "resume" ? await commands.ResumeOrder(request, id, client) : await commands.CompensateOrder(request, id, client))
                        .ExecuteAsync(request);
                }
            }

            if (parked == 0)
            {
                break;
            }

            await WaitUntilFinishedAsync(client, orderIds, minutes: 1);
        }

        return requests;
    }

    /// <summary>The operator's command for an order parked waiting for one, else null.</summary>
    private static string? ParkedCommand(OrchestrationMetadata instance) => instance.SerializedCustomStatus switch
    {
        { } status when status.Contains($"\"{OrderStatus.CompletionFailed}\"", StringComparison.Ordinal) => "resume",
        { } status when status.Contains($"\"{OrderStatus.CompensationFailed}\"", StringComparison.Ordinal) => "compensate",
        _ => null,
    };

    private T Create<T>() where T : class => ActivatorUtilities.CreateInstance<T>(services);
}
