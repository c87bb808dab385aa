using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workflows.Assets;
using Workflows.Assets.Storage;
using Workflows.Assets.Uploads;
using Workflows.Shared.Storage;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>The reconciliation sweep handles each upload on its own: one it cannot start never holds back the rest.</summary>
public sealed class AssetSweepFaultTests
{
    [Fact]
    public async Task SweepUploads_OneUploadFailsToStart_OthersStartedAndTheRunFailsNamingIt()
    {
        // Arrange: three missed uploads; every table request for the middle one's record fails.
        var fault = new StorageFault();
        await using var assets = await AssetsTestApp.StartAsync(
            s => s["Assets:SweepMinAge"] = "00:00:00",
            services => services.AddSingleton(sp => new AssetStore(
                sp.GetRequiredService<BlobServiceClient>(),
                new TableServiceClient(sp.GetRequiredService<IConfiguration>()[StorageRegistration.ConnectionName], fault.TableClientOptions()),
                sp.GetRequiredService<QueueServiceClient>(),
                sp.GetRequiredService<IOptions<AssetOptions>>())));
        List<string> ids = [];
        foreach (var name in (string[])["a.jpg", "b.jpg", "c.jpg"])
        {
            ids.Add(await AssetsTestApp.AssetIdOfAsync(await assets.PutUploadAsync(name, TestImages.Jpeg(50, 40))));
        }

        fault.FailPathsContaining = ids[1];

        // Act
        var error = await Assert.ThrowsAsync<AggregateException>(
            () => assets.App.CreateFunction<UploadSweepTimer>().SweepUploads(new TimerInfo(), assets.Client, default));

        // Assert: the others were started (and finish); the faulty one is left in uploads for the next run.
        Assert.Contains("b.jpg", error.Message, StringComparison.Ordinal);
        Assert.Equal(503, Assert.IsType<RequestFailedException>(Assert.Single(error.InnerExceptions)).Status);
        Assert.Null(await assets.Client.GetInstanceAsync(AssetIds.InstanceId(ids[1])));
        await assets.WaitAsync(ids[0]);
        await assets.WaitAsync(ids[2]);
        Assert.Equal(nameof(AssetStatus.Ready), (await assets.RecordAsync(ids[0])).Status);
        Assert.Equal(nameof(AssetStatus.Ready), (await assets.RecordAsync(ids[2])).Status);
        Assert.Equal(["b.jpg"], await AssetsTestApp.BlobNamesAsync(assets.Store.Uploads));
    }
}
