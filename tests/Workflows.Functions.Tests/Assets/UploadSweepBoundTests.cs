using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets;
using Workflows.Assets.Uploads;
using Workflows.Hosting;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>
/// The missed-upload bound (README, Assets, "No upload is lost"): with the app's own schedule and minimum age, every
/// upload the blob trigger missed is started by the sweep within 3 minutes of being written, and none sooner than the
/// minimum age. The sweep runs at its schedule's ticks on a clock the test sets, so nothing here waits or times.
/// </summary>
public sealed class UploadSweepBoundTests
{
    private static readonly TimeSpan DocumentedBound = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task SweepUploads_OnItsSchedule_StartsEveryUploadTheTriggerMissedWithinTheDocumentedBoundAndOnlyThose()
    {
        // Arrange: a burst of three uploads in one second; the trigger fires for the first only (as the polling trigger
        // on Azurite skips blobs written in the same second as the newest it has seen).
        var clock = new SettableClock();
        await using var assets = await AssetsTestApp.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var photo = TestImages.Jpeg(64, 48);
        var caught = await assets.PutUploadAsync("burst-0.jpg", photo);
        var missed = new[] { await assets.PutUploadAsync("burst-1.jpg", photo), await assets.PutUploadAsync("burst-2.jpg", photo) };
        Dictionary<string, DateTimeOffset> written = [];
        foreach (var blob in missed)
        {
            written[await AssetsTestApp.AssetIdOfAsync(blob)] = (await blob.GetPropertiesAsync()).Value.LastModified;
        }

        await assets.FireTriggerAsync(caught);
        var sweep = assets.App.CreateFunction<UploadSweepTimer>();
        var ticks = TimerTicks.Parse(UploadSweepTimer.Schedule);

        // Act: the host's timer, tick after tick, until the sweep has started every missed upload (or an hour has passed).
        Dictionary<string, DateTimeOffset> startedAt = [];
        var sweepStarts = 0;
        for (var tick = ticks.After(written.Values.Min()); startedAt.Count < written.Count && tick < written.Values.Max().AddHours(1); tick = ticks.After(tick))
        {
            clock.Now = tick;
            var (started, failures) = await sweep.SweepAsync(assets.Client, CancellationToken.None);
            Assert.Empty(failures);
            sweepStarts += started;
            foreach (var assetId in written.Keys.Where(id => !startedAt.ContainsKey(id)))
            {
                if (await assets.Client.GetInstanceAsync(AssetIds.InstanceId(assetId)) is not null)
                {
                    startedAt[assetId] = tick;
                }
            }
        }

        // Assert: each missed upload started once it was old enough, and within the bound; the caught one not again.
        Assert.Equal(written.Keys.Order(), startedAt.Keys.Order());
        Assert.All(written, upload =>
        {
            var waited = startedAt[upload.Key] - upload.Value;
            Assert.InRange(waited, assets.Options.SweepMinAge, DocumentedBound);
        });
        Assert.Equal(missed.Length, sweepStarts);
        foreach (var assetId in written.Keys.Append(await AssetsTestApp.AssetIdOfAsync(caught)))
        {
            Assert.Equal(AssetStatus.Ready, (await assets.WaitAsync(assetId)).ReadOutputAs<AssetOutcome>()!.Status);
        }

        Assert.Equal(3, await assets.ReadyMessageCountAsync());
    }
}
