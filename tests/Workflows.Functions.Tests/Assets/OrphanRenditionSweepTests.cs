using System.ComponentModel.DataAnnotations;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets;
using Workflows.Assets.Storage;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>
/// Renditions a render left when its worker died between writing them and its check (the asset Failed, closed or deleted
/// meanwhile): the stuck-asset timer removes them once they have been left unwritten for the minimum age, and never
/// touches the renditions of a Processing asset or of a Ready one.
/// </summary>
public sealed class OrphanRenditionSweepTests
{
    [Fact]
    public async Task SettleStuckAssets_OrphanRenditionsPastTheMinimumAge_RemovedForFailedAndDeletedAssetsOnly()
    {
        // Arrange: one rendition under each of four assets, and none of them has a pipeline to settle.
        var clock = new SettableClock();
        await using var assets = await AssetsTestApp.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var failed = await RecordAsync(assets, "failed.jpg", AssetStatus.Failed);
        var ready = await RecordAsync(assets, "ready.jpg", AssetStatus.Ready);
        var processing = await RecordAsync(assets, "processing.jpg", AssetStatus.Processing);
        var deleted = AssetIds.FromUpload("uploads", "deleted.jpg", "0x1"); // no record
        var (oldest, newest) = (DateTimeOffset.MaxValue, DateTimeOffset.MinValue);
        foreach (var assetId in new[] { failed, ready, processing, deleted })
        {
            var written = await assets.Store.Renditions.GetBlobClient($"{assetId}/jpeg-200.jpg").UploadAsync(new BinaryData([1, 2, 3]));
            oldest = written.Value.LastModified < oldest ? written.Value.LastModified : oldest;
            newest = written.Value.LastModified > newest ? written.Value.LastModified : newest;
        }

        var sweep = assets.App.CreateFunction<StuckAssetSweep>();

        // Act: a run while the renditions are younger than the minimum age, then one past it.
        clock.Now = oldest + assets.Options.OrphanRenditionMinAge - TimeSpan.FromSeconds(1);
        await sweep.SettleStuckAssets(new TimerInfo(), assets.Client, default);
        var whileFresh = await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions);
        clock.Now = newest + assets.Options.OrphanRenditionMinAge + TimeSpan.FromSeconds(1);
        await sweep.SettleStuckAssets(new TimerInfo(), assets.Client, default);

        // Assert: fresh ones all kept; then the Failed asset's (its record closed first) and the deleted asset's removed.
        Assert.Equal(4, whileFresh.Count);
        Assert.Equal(
            new[] { $"{processing}/jpeg-200.jpg", $"{ready}/jpeg-200.jpg" }.Order(StringComparer.Ordinal),
            (await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions)).Order(StringComparer.Ordinal));
        Assert.True((await assets.RecordAsync(failed)).RenditionsClosed);
        Assert.Equal(nameof(AssetStatus.Failed), (await assets.RecordAsync(failed)).Status);
        Assert.NotEqual(true, (await assets.RecordAsync(ready)).RenditionsClosed);
        Assert.Null(await assets.Store.FindAsync(deleted, default));
    }

    [Fact]
    public async Task SettleStuckAssets_MoreOrphanedAssetsThanOnePage_EachRunTakesOnePageAndTheNextGoesOn()
    {
        // Arrange: pages of one asset; three deleted assets with renditions past the minimum age.
        var clock = new SettableClock();
        await using var assets = await AssetsTestApp.StartAsync(
            settings: v => v["Assets:OrphanSweepPageSize"] = "1", services: s => s.AddSingleton<TimeProvider>(clock));
        foreach (var name in new[] { "a.jpg", "b.jpg", "c.jpg" })
        {
            var assetId = AssetIds.FromUpload("uploads", name, "0x1");
            await assets.Store.Renditions.GetBlobClient($"{assetId}/webp-200.webp").UploadAsync(new BinaryData([1]));
        }

        clock.Now = DateTimeOffset.UtcNow + assets.Options.OrphanRenditionMinAge + TimeSpan.FromMinutes(1);
        var sweep = assets.App.CreateFunction<StuckAssetSweep>();

        // Act / Assert: one asset's renditions per run.
        List<int> left = [];
        for (var run = 0; run < 3; run++)
        {
            await sweep.SettleStuckAssets(new TimerInfo(), assets.Client, default);
            left.Add((await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions)).Count);
        }

        Assert.Equal([2, 1, 0], left);
    }

    [Fact]
    public async Task SettleStuckAssets_FirstAssetOfThePageNotAnOrphan_NextRunGoesOnToTheNextPage()
    {
        // Arrange: pages of one asset; the first asset (in listing order) Ready, the next two deleted, all past the age.
        var clock = new SettableClock();
        await using var assets = await AssetsTestApp.StartAsync(
            settings: v => v["Assets:OrphanSweepPageSize"] = "1", services: s => s.AddSingleton<TimeProvider>(clock));
        var ids = new[] { "a.jpg", "b.jpg", "c.jpg" }.Select(n => AssetIds.FromUpload("uploads", n, "0x1")).Order(StringComparer.Ordinal).ToList();
        var ready = AssetEntity.For(ids[0]);
        ready.Status = nameof(AssetStatus.Ready);
        await assets.Store.SaveAsync(ready, default);
        foreach (var assetId in ids)
        {
            await assets.Store.Renditions.GetBlobClient($"{assetId}/webp-200.webp").UploadAsync(new BinaryData([1]));
        }

        clock.Now = DateTimeOffset.UtcNow + assets.Options.OrphanRenditionMinAge + TimeSpan.FromMinutes(1);
        var sweep = assets.App.CreateFunction<StuckAssetSweep>();

        // Act: three runs (a sweep that started from the first page every run would only ever look at the Ready asset).
        List<int> left = [];
        for (var run = 0; run < 3; run++)
        {
            await sweep.SettleStuckAssets(new TimerInfo(), assets.Client, default);
            left.Add((await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions)).Count);
        }

        // Assert
        Assert.Equal([3, 2, 1], left);
        Assert.Equal([$"{ids[0]}/webp-200.webp"], await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions));
    }

    [Fact]
    public async Task SettleStuckAssets_ListingOneAssetTimesOutEveryAttempt_TheOtherOrphansOfThePageStillRemoved()
    {
        // Arrange: two deleted assets past the age; listing the first one's renditions times out on every SDK attempt
        // (the SDK then raises no RequestFailedException but its own AggregateException / TaskCanceledException).
        var clock = new SettableClock();
        var fault = new StorageFault();
        await using var assets = await StartWithFaultAsync(clock, fault);
        var ids = await DeletedAssetsPastTheAgeAsync(assets, clock, "a.jpg", "b.jpg");
        fault.FailNext(r => r.Method == Azure.Core.RequestMethod.Get && r.Uri.ToString().Contains($"prefix={ids[0]}", StringComparison.Ordinal), 408, int.MaxValue);
        var sweep = assets.App.CreateFunction<StuckAssetSweep>();

        // Act
        await sweep.SettleStuckAssets(new TimerInfo(), assets.Client, default);

        // Assert: the faulty asset's renditions are left for a later run, the other asset's are gone.
        Assert.Equal([$"{ids[0]}/webp-200.webp"], await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions));
    }

    [Fact]
    public async Task SettleStuckAssets_QueryForStuckAssetsFails_OrphanSweepStillRunsAndTheFaultIsRaised()
    {
        // Arrange: a deleted asset's renditions past the age; the assets table's query (Status eq 'Processing') fails
        // every SDK attempt, so settling throws before it settles anything.
        var clock = new SettableClock();
        var fault = new StorageFault();
        await using var assets = await StartWithFaultAsync(clock, fault);
        var deleted = AssetIds.FromUpload("uploads", "deleted.jpg", "0x1");
        await assets.Store.Renditions.GetBlobClient($"{deleted}/webp-200.webp").UploadAsync(new BinaryData([1]));
        clock.Now = DateTimeOffset.UtcNow + assets.Options.OrphanRenditionMinAge + TimeSpan.FromMinutes(1);
        fault.FailNext(r => r.Method == Azure.Core.RequestMethod.Get && r.Uri.ToString().Contains("filter=", StringComparison.Ordinal), 503, int.MaxValue);
        var sweep = assets.App.CreateFunction<StuckAssetSweep>();

        // Act
        await Assert.ThrowsAnyAsync<Exception>(() => sweep.SettleStuckAssets(new TimerInfo(), assets.Client, default));

        // Assert: the settle fault does not stop the orphan sweep.
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions));
    }

    [Fact]
    public async Task SettleStuckAssets_RestartBetweenRuns_GoesOnFromTheStoredCursorAndWrapsAtTheEnd()
    {
        // Arrange: pages of one asset; the first two assets (in listing order) Ready, the last deleted, all past the age.
        var clock = new SettableClock();
        await using var assets = await AssetsTestApp.StartAsync(
            settings: v => v["Assets:OrphanSweepPageSize"] = "1", services: s => s.AddSingleton<TimeProvider>(clock));
        var ids = new[] { "a.jpg", "b.jpg", "c.jpg" }.Select(n => AssetIds.FromUpload("uploads", n, "0x1")).Order(StringComparer.Ordinal).ToList();
        foreach (var assetId in ids.Take(2))
        {
            var ready = AssetEntity.For(assetId);
            ready.Status = nameof(AssetStatus.Ready);
            await assets.Store.SaveAsync(ready, default);
        }

        foreach (var assetId in ids)
        {
            await assets.Store.Renditions.GetBlobClient($"{assetId}/webp-200.webp").UploadAsync(new BinaryData([1]));
        }

        clock.Now = DateTimeOffset.UtcNow + assets.Options.OrphanRenditionMinAge + TimeSpan.FromMinutes(1);

        // A "restart" before every run: a new sweep with a new orphan sweep, nothing kept in memory between runs.
        async Task<int> RunAfterRestartAsync()
        {
            var sweep = ActivatorUtilities.CreateInstance<StuckAssetSweep>(
                assets.App.Services, assets.App.CreateFunction<OrphanRenditionSweep>());
            await sweep.SettleStuckAssets(new TimerInfo(), assets.Client, default);
            return (await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions)).Count;
        }

        // Act: three runs reach the third page; then the first asset is deleted and the pass wraps to it.
        List<int> left = [];
        for (var run = 0; run < 3; run++)
        {
            left.Add(await RunAfterRestartAsync());
        }

        await assets.Store.DeleteRecordAsync(ids[0], default);
        var afterWrap = await RunAfterRestartAsync();
        afterWrap = afterWrap == 2 ? await RunAfterRestartAsync() : afterWrap; // an empty last page may end the pass

        // Assert: the restarts lose no progress (a sweep starting from the top every run would only see the first asset).
        Assert.Equal([3, 3, 2], left);
        Assert.Equal(1, afterWrap);
        Assert.Equal([$"{ids[1]}/webp-200.webp"], await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions));
    }

    [Fact]
    public async Task SettleStuckAssets_CursorTableFailsEveryAttempt_OrphansStillRemovedAndTheRunsGoOnPageByPage()
    {
        // Arrange: pages of one asset; two deleted assets past the age; every request to the cursor's table fails.
        var clock = new SettableClock();
        var fault = new StorageFault();
        await using var assets = await StartWithFaultAsync(clock, fault, pageSize: 1);
        var ids = await DeletedAssetsPastTheAgeAsync(assets, clock, "a.jpg", "b.jpg");
        fault.FailNext(r => r.Uri.ToString().Contains($"/{assets.Store.Sweeps.Name}(", StringComparison.Ordinal), 503, int.MaxValue); // its rows, not the table
        var sweep = assets.App.CreateFunction<StuckAssetSweep>();

        // Act: two runs of the same process.
        await sweep.SettleStuckAssets(new TimerInfo(), assets.Client, default);
        var afterFirst = await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions);
        await sweep.SettleStuckAssets(new TimerInfo(), assets.Client, default);

        // Assert: the cursor's outage neither stops a run nor holds it on the first page (the process keeps its own).
        Assert.Equal([$"{ids[1]}/webp-200.webp"], afterFirst);
        Assert.Empty(await AssetsTestApp.BlobNamesAsync(assets.Store.Renditions));
    }

    [Theory]
    [InlineData(57, true)]
    [InlineData(58, false)]
    public void AssetOptions_AssetsTableLength_AcceptedOnlyWhenTheSweepsTableNameFits(int length, bool valid)
    {
        // Arrange: the longest derived table is {AssetsTable}Sweeps, and table names end at 63 characters.
        var options = new AssetOptions { AssetsTable = "a" + new string('b', length - 1) };

        // Act
        var accepted = Validator.TryValidateObject(options, new ValidationContext(options), null, validateAllProperties: true);

        // Assert: a name the service refuses would pass start-up and then fail every EnsureCreatedAsync.
        Assert.Equal(valid, accepted);
        Assert.Equal(valid, (options.AssetsTable + "Sweeps").Length <= 63);
    }

    private static Task<AssetsTestApp> StartWithFaultAsync(SettableClock clock, StorageFault fault, int? pageSize = null) =>
        AssetsTestApp.StartAsync(
            settings: v =>
            {
                if (pageSize is { } size)
                {
                    v["Assets:OrphanSweepPageSize"] = size.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
            },
            services: s =>
            {
                s.AddSingleton<TimeProvider>(clock);
                fault.InjectIntoAppStorage(s);
            });

    /// <summary>A rendition under each upload's asset, which has no record (deleted), and the clock past the minimum age; the ids in listing order.</summary>
    private static async Task<List<string>> DeletedAssetsPastTheAgeAsync(AssetsTestApp assets, SettableClock clock, params string[] uploads)
    {
        var ids = uploads.Select(n => AssetIds.FromUpload("uploads", n, "0x1")).Order(StringComparer.Ordinal).ToList();
        foreach (var assetId in ids)
        {
            await assets.Store.Renditions.GetBlobClient($"{assetId}/webp-200.webp").UploadAsync(new BinaryData([1]));
        }

        clock.Now = DateTimeOffset.UtcNow + assets.Options.OrphanRenditionMinAge + TimeSpan.FromMinutes(1);
        return ids;
    }

    private static async Task<string> RecordAsync(AssetsTestApp assets, string name, AssetStatus status)
    {
        var assetId = AssetIds.FromUpload("uploads", name, "0x1");
        var record = AssetEntity.For(assetId);
        record.Status = status.ToString();
        await assets.Store.SaveAsync(record, default);
        return assetId;
    }
}
