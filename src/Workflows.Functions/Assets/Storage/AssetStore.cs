using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using Workflows.Shared.Storage;

namespace Workflows.Assets.Storage;

/// <summary>
/// The asset pipeline's storage: the five containers, the assets table, the ready queue and the blob trigger's poison
/// queue. Every name it builds comes from a validated asset id (and rendition name), never from a user-supplied name.
/// </summary>
public sealed class AssetStore(
    BlobServiceClient blobs,
    TableServiceClient tables,
    QueueServiceClient queues,
    IOptions<AssetOptions> options) : IProvisionedStorage
{
    /// <summary>Where the Functions host queues uploads its blob trigger gave up on (in the trigger's storage account).</summary>
    public const string UploadPoisonQueue = "webjobs-blobtrigger-poison";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly AssetOptions _options = options.Value;
    private readonly AssetIndex _index = new(tables.GetTableClient(options.Value.AssetsTable + "Index"));
    private Task? _created;

    public BlobContainerClient Uploads => blobs.GetBlobContainerClient(_options.UploadsContainer);

    public BlobContainerClient HttpUploads => blobs.GetBlobContainerClient(_options.HttpUploadsContainer);

    public BlobContainerClient Originals => blobs.GetBlobContainerClient(_options.OriginalsContainer);

    public BlobContainerClient Renditions => blobs.GetBlobContainerClient(_options.RenditionsContainer);

    public BlobContainerClient Quarantine => blobs.GetBlobContainerClient(_options.QuarantineContainer);

    public TableClient Table => tables.GetTableClient(_options.AssetsTable);

    /// <summary>Where the sweepers keep their cursors (one row each), apart from the records so no record query sees them.</summary>
    public TableClient Sweeps => tables.GetTableClient(_options.AssetsTable + "Sweeps");

    public QueueClient ReadyQueue => queues.GetQueueClient(_options.ReadyQueue);

    /// <summary>A blob in the container an upload arrived in (uploads or HTTP uploads, named by the pipeline's input).</summary>
    public BlobClient Upload(string container, string blobName) => blobs.GetBlobContainerClient(container).GetBlobClient(blobName);

    public BlobClient Original(string assetId) => Originals.GetBlobClient(RequireId(assetId));

    public BlobClient Quarantined(string assetId) => Quarantine.GetBlobClient(RequireId(assetId));

    /// <summary>Prefix of every rendition blob of one asset.</summary>
    public static string RenditionPrefix(string assetId) => RequireId(assetId) + "/";

    /// <summary>Creates the containers, table and queues once per process (idempotent; retried after a failure).</summary>
    public Task EnsureCreatedAsync(CancellationToken ct = default)
    {
        var created = _created;
        if (created is null || created.IsFaulted || created.IsCanceled)
        {
            created = _created = CreateAllAsync();
        }

        return created.WaitAsync(ct);
    }

    public async Task<AssetEntity?> FindAsync(string assetId, CancellationToken ct)
    {
        var found = await Table.GetEntityIfExistsAsync<AssetEntity>(RequireId(assetId), AssetEntity.AssetRowKey, cancellationToken: ct);
        return found.HasValue ? found.Value : null;
    }

    /// <summary>
    /// Writes <paramref name="processing"/> (merged into the row, or added when <paramref name="addIfAbsent"/>) unless the
    /// asset is already Ready or Failed, conditional on the row's ETag: a duplicate or late-running inspection can never
    /// turn a finished asset back to Processing, nor (without <paramref name="addIfAbsent"/>) bring back a deleted one.
    /// Returns whether it wrote, and otherwise the row as it is: finished, or null (gone).
    /// </summary>
    public async Task<(bool Written, AssetEntity? Current)> MergeUnlessFinishedAsync(
        AssetEntity processing, bool addIfAbsent, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await FindAsync(processing.Id, ct);
            if (current is { StatusValue: AssetStatus.Ready or AssetStatus.Failed } || (current is null && !addIfAbsent))
            {
                return (false, current);
            }

            try
            {
                await (current is null
                    ? Table.AddEntityAsync(processing, ct)
                    : Table.UpdateEntityAsync(processing, current.ETag, TableUpdateMode.Merge, ct));
                await SyncIndexAsync(processing.Id, ct);
                return (true, null);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412 && attempt < 3)
            {
                // Written or deleted by someone else between our read and write: read again.
            }
        }
    }

    /// <summary>Adds the row unless it exists (then the existing row, possibly further along, wins).</summary>
    public async Task AddIfAbsentAsync(AssetEntity entity, CancellationToken ct)
    {
        try
        {
            await Table.AddEntityAsync(entity, ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Already registered by the pipeline.
        }

        await SyncIndexAsync(entity.Id, ct);
    }

    /// <summary>
    /// Writes the record: adds it when it was never read (no ETag), else replaces it conditional on the ETag read
    /// (412 when someone wrote it meanwhile). Then lists it. Every record write goes through here or the methods above,
    /// so the list index follows the records.
    /// </summary>
    public async Task SaveAsync(AssetEntity entity, CancellationToken ct)
    {
        await (entity.ETag == default
            ? Table.AddEntityAsync(entity, ct)
            : Table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, ct));
        await SyncIndexAsync(entity.Id, ct);
    }

    /// <summary>
    /// <see cref="SaveAsync"/>, false instead when the record was deleted or rewritten since it was read: whoever did it
    /// owns the asset now (the sweepers leave it to them).
    /// </summary>
    public async Task<bool> TrySaveAsync(AssetEntity entity, CancellationToken ct)
    {
        try
        {
            await SaveAsync(entity, ct);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            return false;
        }
    }

    /// <summary>
    /// Copies the record into the list index again: for a retried step that finds its record write already done, since
    /// the index write after it may be what failed.
    /// </summary>
    public async Task RelistAsync(string assetId, CancellationToken ct) => await SyncIndexAsync(assetId, ct);

    /// <summary>One page of assets, newest upload first, read from their records (see <see cref="AssetIndex.ListAsync"/>).</summary>
    public async Task<(IReadOnlyList<(AssetEntity Record, DateTimeOffset ListedAt)> Assets, string? Next)> ListAsync(
        AssetListQuery query, CancellationToken ct)
    {
        await EnsureCreatedAsync(ct);
        return await _index.ListAsync(query, FindAsync, ct);
    }

    public async Task DeleteRecordAsync(string assetId, CancellationToken ct)
    {
        try
        {
            await Table.DeleteEntityAsync(RequireId(assetId), AssetEntity.AssetRowKey, ETag.All, ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already gone: deleting is idempotent.
        }

        await _index.SyncAsync(assetId, null, ct);
    }

    /// <summary>
    /// Quarantines an asset: moves its original to <c>quarantine/{assetId}</c> (<see cref="OriginalQuarantine"/>: only
    /// <paramref name="originalVersion"/>, else the version there now; a blob written over it is left in place), else (it
    /// was never taken in) the very upload version <paramref name="findUpload"/> names, if any. Nothing is lost and
    /// nothing is served; each move is safe to repeat. The upload is looked up only when there is no original.
    /// </summary>
    public async Task<QuarantineResult> QuarantineAsync(
        string assetId,
        ETag? originalVersion,
        Func<CancellationToken, Task<(BlobClient Blob, ETag Version)?>> findUpload,
        CancellationToken ct)
    {
        var target = Quarantined(assetId);
        var result = await OriginalQuarantine.MoveAsync(Original(assetId), target, originalVersion, ct);
        if (result != QuarantineResult.NothingToMove)
        {
            return result;
        }

        return await findUpload(ct) is { } upload && await BlobMoves.MoveAsync(upload.Blob, target, upload.Version, ct)
            ? QuarantineResult.Moved
            : QuarantineResult.NothingToMove;
    }

    /// <summary>Merges <see cref="AssetEntity.QuarantineNote"/> into the record; nothing to do for a record that is gone.</summary>
    public async Task NoteQuarantineAsync(string assetId, string note, CancellationToken ct)
    {
        var noted = new TableEntity(RequireId(assetId), AssetEntity.AssetRowKey) { [nameof(AssetEntity.QuarantineNote)] = note };
        try
        {
            await Table.UpdateEntityAsync(noted, ETag.All, TableUpdateMode.Merge, ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Deleted: nothing left to explain.
        }
    }

    /// <summary>
    /// True while the asset still takes rendition blobs: its record is there, Processing or Ready, and not closed by
    /// <see cref="CloseRenditionsAsync"/>. A render asks this after writing; whoever sweeps an asset's renditions for good
    /// closes it first, so either the render sees the close, or the sweep comes after the render's writes.
    /// </summary>
    public async Task<bool> TakesRenditionsAsync(string assetId, CancellationToken ct) =>
        await FindAsync(assetId, ct) is { StatusValue: AssetStatus.Processing or AssetStatus.Ready, RenditionsClosed: not true };

    /// <summary>
    /// Takes the record for the run of <paramref name="generation"/> before its render: raises the record's
    /// <see cref="AssetEntity.Generation"/> to it (a conditional save; re-read and retried when written meanwhile).
    /// False only when a newer run holds it; a record that is gone, finished Failed or closed is left to the check after
    /// the writes (<see cref="TakesRenditionsAsync(string, long, CancellationToken)"/>).
    /// </summary>
    public async Task<bool> ClaimRenditionsAsync(string assetId, long generation, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var entity = await FindAsync(assetId, ct);
            if (entity is not { StatusValue: AssetStatus.Processing or AssetStatus.Ready, RenditionsClosed: not true })
            {
                return true;
            }

            if ((entity.Generation ?? 0) >= generation)
            {
                return (entity.Generation ?? 0) == generation; // the same run (a retry), or a newer one
            }

            entity.Generation = generation;
            if (await TrySaveAsync(entity, ct))
            {
                return true;
            }

            if (attempt == 3)
            {
                throw new InvalidOperationException($"Asset {assetId}: its record kept changing while a render took it; retrying.");
            }
        }
    }

    /// <summary>
    /// <see cref="TakesRenditionsAsync(string, CancellationToken)"/> for the run of <paramref name="generation"/>: also
    /// false once a newer run took the record.
    /// </summary>
    public async Task<bool> TakesRenditionsAsync(string assetId, long generation, CancellationToken ct) =>
        await FindAsync(assetId, ct) is { StatusValue: AssetStatus.Processing or AssetStatus.Ready, RenditionsClosed: not true } entity
        && (entity.Generation ?? 0) <= generation;

    /// <summary>
    /// Closes the asset to renditions (sets <see cref="AssetEntity.RenditionsClosed"/>, which nothing clears) before its
    /// renditions are swept for good; nothing to do for a record that is gone. Merged, so it never undoes another write.
    /// </summary>
    public async Task CloseRenditionsAsync(string assetId, CancellationToken ct)
    {
        var closed = new TableEntity(RequireId(assetId), AssetEntity.AssetRowKey) { [nameof(AssetEntity.RenditionsClosed)] = true };
        try
        {
            await Table.UpdateEntityAsync(closed, ETag.All, TableUpdateMode.Merge, ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return; // deleted: a render finds no record, which is closed too
        }

        await SyncIndexAsync(assetId, ct);
    }

    /// <summary>Deletes every blob under <c>{assetId}/</c> in the renditions container; returns how many it deleted.</summary>
    public Task<int> DeleteRenditionsAsync(string assetId, CancellationToken ct) =>
        DeleteRenditionsExceptAsync(assetId, [], ct);

    /// <summary>
    /// Deletes the blobs under <c>{assetId}/</c> in the renditions container other than <paramref name="keep"/>
    /// (the ones the asset's record lists); returns how many it deleted.
    /// </summary>
    public async Task<int> DeleteRenditionsExceptAsync(string assetId, IReadOnlyCollection<Rendition> keep, CancellationToken ct)
    {
        var kept = keep.Select(r => r.BlobName).ToHashSet(StringComparer.Ordinal);
        var deleted = 0;
        var container = Renditions;
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, RenditionPrefix(assetId), ct))
        {
            if (!kept.Contains(blob.Name))
            {
                var response = await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: ct);
                deleted += response.Value ? 1 : 0;
            }
        }

        return deleted;
    }

    public static string SerializeRenditions(IReadOnlyList<Rendition> renditions) => JsonSerializer.Serialize(renditions, Json);

    public static IReadOnlyList<Rendition> DeserializeRenditions(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<Rendition>>(json, Json) ?? [];

    private async Task SyncIndexAsync(string assetId, CancellationToken ct) =>
        await _index.SyncAsync(assetId, await FindAsync(assetId, ct), ct);

    private static string RequireId(string assetId) =>
        AssetIds.IsValid(assetId) ? assetId : throw new ArgumentException($"'{assetId}' is not an asset id.", nameof(assetId));

    private async Task CreateAllAsync()
    {
        await Task.WhenAll(
            Uploads.CreateIfNotExistsAsync(),
            HttpUploads.CreateIfNotExistsAsync(),
            Originals.CreateIfNotExistsAsync(),
            Renditions.CreateIfNotExistsAsync(),
            Quarantine.CreateIfNotExistsAsync(),
            Table.CreateIfNotExistsAsync(),
            _index.Table.CreateIfNotExistsAsync(),
            Sweeps.CreateIfNotExistsAsync(),
            ReadyQueue.CreateIfNotExistsAsync(),
            queues.GetQueueClient(UploadPoisonQueue).CreateIfNotExistsAsync());
    }
}
