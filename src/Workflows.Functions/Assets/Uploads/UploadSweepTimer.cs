using Azure.Storage.Blobs.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Workflows.Assets.Storage;

namespace Workflows.Assets.Uploads;

/// <summary>
/// Reconciliation: the polling blob trigger can miss blobs (same-second writes on Azurite, best-effort logs in Azure),
/// so every minute this starts any upload older than <see cref="AssetOptions.SweepMinAge"/> that nothing has taken
/// into processing, under the same deterministic instance id a late trigger would use. A missed upload is therefore
/// started within the minimum age plus one minute (README, Assets: 3 minutes with the defaults). Assets whose
/// pipeline ended without finishing them are <see cref="StuckAssetSweep"/>'s.
/// </summary>
public sealed class UploadSweepTimer(
    AssetStore store, AssetStarter starter, IOptions<AssetOptions> options, TimeProvider clock, ILogger<UploadSweepTimer> logger)
{
    /// <summary>
    /// Every minute, on the minute (one instance runs it: timer triggers are singletons per app). Each run lists the two
    /// upload containers, which stay short (uploads are deleted once taken in): two list calls a minute.
    /// </summary>
    public const string Schedule = "0 */1 * * * *";

    /// <summary>
    /// Sweeps the uploads container (see the class summary). Each upload is handled on its own; if any could not be
    /// started, the run still covers the rest and then fails naming them, so operators see it (the next run retries).
    /// </summary>
    [Function(nameof(SweepUploads))]
    public async Task SweepUploads(
        [TimerTrigger(Schedule)] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken ct)
    {
        var (started, failures) = await SweepAsync(client, ct);
        if (started > 0)
        {
            logger.LogWarning("Reconciliation sweep started {Count} upload(s) the blob trigger had not picked up", started);
        }

        if (failures.Count > 0)
        {
            throw new AggregateException(
                $"Reconciliation sweep could not start {failures.Count} upload(s): {string.Join(", ", failures.Keys)}. " +
                "The next run retries them.",
                failures.Values);
        }
    }

    /// <summary>
    /// Lists both upload containers (the blob trigger's and the HTTP uploads'; uploads are deleted once taken in, so the
    /// lists stay short) and starts the stragglers; returns how many it started and, by container/blob, why any could not be.
    /// </summary>
    internal async Task<(int Started, IReadOnlyDictionary<string, Exception> Failures)> SweepAsync(
        DurableTaskClient client, CancellationToken ct)
    {
        await store.EnsureCreatedAsync(ct);
        var cutoff = clock.GetUtcNow() - options.Value.SweepMinAge;
        var started = 0;
        Dictionary<string, Exception> failures = [];
        foreach (var uploads in new[] { store.Uploads, store.HttpUploads })
        {
            await foreach (var blob in uploads.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, prefix: null, ct))
            {
                if (blob.Properties.LastModified is not { } modified || modified > cutoff || blob.Properties.ETag is not { } etag)
                {
                    continue;
                }

                try
                {
                    var request = starter.RequestFor(uploads.Name, blob.Name, etag, blob.Metadata);
                    var receipt = new UploadReceipt(blob.Properties.ContentLength ?? 0, modified, blob.Properties.ContentType);
                    started += (await starter.StartAsync(client, request, receipt, ct)).Started ? 1 : 0;
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    // Whatever broke this one upload (a storage fault, an odd blob) must not hold back the others.
                    logger.LogError(ex, "Reconciliation sweep could not start upload {BlobName}; the next run retries it", blob.Name);
                    failures[$"{uploads.Name}/{blob.Name}"] = ex;
                }
            }
        }

        return (started, failures);
    }
}
