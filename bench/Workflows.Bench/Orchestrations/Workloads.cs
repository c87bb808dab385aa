using Azure.Storage.Blobs;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkiaSharp;
using Workflows.Assets;
using Workflows.Assets.Storage;
using Workflows.Assets.Uploads;
using Workflows.Orders;
using Workflows.Orders.Storage;

namespace Workflows.Bench.Orchestrations;

/// <summary>A kind of instance the bench starts in batches: its name, and how to start one and check it succeeded.</summary>
internal sealed record Workload(string Name, Func<string, Task<string>> StartAsync, Func<OrchestrationMetadata, bool> Succeeded);

/// <summary>The app's two workflows and the bare twins, as workloads on one engine.</summary>
internal static class Workloads
{
    private const string Sku = "BENCH-1";

    /// <summary>One-line orders of a 10 EUR product from one warehouse (below the approval threshold): 6 activities today.</summary>
    public static async Task<Workload> OrdersAsync(BenchEngine engine)
    {
        var services = engine.Services;
        await services.GetRequiredService<CatalogueStore>().UpsertAsync(new Product(Sku, "Bench widget", 10m, "EUR"), CancellationToken.None);
        await services.GetRequiredService<StockStore>().AddIfMissingAsync(Sku, "ams", 10_000_000, CancellationToken.None);
        var settings = services.GetRequiredService<IOptions<OrdersOptions>>().Value.ToSettings();
        var address = new ShippingAddress("Ada Bench", "1 Loop Road", null, "Amsterdam", "1011AA", "NL");
        return new Workload(
            "order saga",
            async id =>
            {
                var order = new PlaceOrder($"order-{id}", [new OrderLine(Sku, 1)], address, "tok_visa", settings);
                return await engine.Client.ScheduleNewOrchestrationInstanceAsync(
                    nameof(OrderFulfilmentOrchestrator), order, new StartOrchestrationOptions(order.OrderId));
            },
            i => i.RuntimeStatus == OrchestrationRuntimeStatus.Completed && i.ReadOutputAs<OrderOutcome>()?.Status == OrderStatus.Completed);
    }

    /// <summary>
    /// Uploads of a small JPEG written straight into the uploads container (by <paramref name="uploader"/>, a client of
    /// the uploader's own, so its bytes are not counted), then the blob trigger fired as the host does.
    /// </summary>
    public static async Task<Workload> AssetsAsync(BenchEngine engine, BlobServiceClient uploader)
    {
        var store = engine.Services.GetRequiredService<AssetStore>();
        await store.EnsureCreatedAsync(CancellationToken.None);
        var trigger = ActivatorUtilities.CreateInstance<AssetUploadedTrigger>(engine.Services);
        var uploads = uploader.GetBlobContainerClient(store.Uploads.Name);
        var photo = SmallPhoto();
        return new Workload(
            "asset pipeline",
            async id =>
            {
                var name = $"bench/{id}.jpg";
                var written = await uploads.GetBlobClient(name).UploadAsync(new BinaryData(photo), overwrite: true);
                await trigger.AssetUploaded(store.Uploads.GetBlobClient(name), name, engine.Client, CancellationToken.None);
                return AssetIds.InstanceId(AssetIds.FromUpload(store.Uploads.Name, name, written.Value.ETag));
            },
            i => i.RuntimeStatus == OrchestrationRuntimeStatus.Completed && i.ReadOutputAs<AssetOutcome>()?.Status == AssetStatus.Ready);
    }

    /// <summary>The bare twin of a workflow: the same stages of activity calls, each a no-op.</summary>
    public static Workload Bare(BenchEngine engine, string name, BareShape shape) => new(
        name,
        id => engine.Client.ScheduleNewOrchestrationInstanceAsync(nameof(BareOrchestrations.BareWorkflow), shape, new StartOrchestrationOptions($"bare-{id}")),
        i => i.RuntimeStatus == OrchestrationRuntimeStatus.Completed);

    /// <summary>A small JPEG (640 × 480: about 5 KB): the pipeline's own work stays small next to the orchestration's.</summary>
    internal static byte[] SmallPhoto(int width = 640, int height = 480)
    {
        var info = new SKImageInfo(width, height);
        using var surface = SKSurface.Create(info);
        using var paint = new SKPaint { Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height), [SKColors.SteelBlue, SKColors.Orange], SKShaderTileMode.Clamp) };
        surface.Canvas.DrawRect(info.Rect, paint);
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 85);
        return data.ToArray();
    }
}
