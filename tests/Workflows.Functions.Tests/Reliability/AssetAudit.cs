using Microsoft.DurableTask.Client;
using Workflows.Assets;
using Workflows.Assets.Storage;
using Workflows.Tests.Assets;

namespace Workflows.Tests.Reliability;

/// <summary>
/// Audits uploads from the asset records and the blobs, never from which activities ran: every upload became an asset
/// that is Ready (original in originals, exactly the renditions its record lists) or Failed with a reason (original in
/// quarantine, no renditions); no rendition blob belongs to no Ready asset; no upload is left untaken.
/// </summary>
internal static class AssetAudit
{
    public static async Task AuditAsync(Audit audit, AssetStore store, DurableTaskClient client, IReadOnlyCollection<string> assetIds)
    {
        HashSet<string> listed = new(StringComparer.Ordinal);
        var renditions = (await AssetsTestApp.BlobNamesAsync(store.Renditions)).ToHashSet(StringComparer.Ordinal);
        foreach (var id in assetIds)
        {
            audit.Count("assets");
            var record = await store.FindAsync(id, CancellationToken.None);
            var instance = await client.GetInstanceAsync(AssetIds.InstanceId(id), getInputsAndOutputs: true);
            if (record is null || record.Status == nameof(AssetStatus.Processing)
                || instance is not { RuntimeStatus: OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed })
            {
                audit.Violation("lost", $"asset {id}: record {record?.Status ?? "missing"}, instance {instance?.RuntimeStatus.ToString() ?? "missing"} {instance?.FailureDetails?.ErrorMessage}");
                continue;
            }

            audit.Count($"assets {record.Status}");
            var ready = record.Status == nameof(AssetStatus.Ready);
            var (original, quarantined) = (await store.Original(id).ExistsAsync(), await store.Quarantined(id).ExistsAsync());
            if (ready ? !original.Value || quarantined.Value : original.Value || !quarantined.Value)
            {
                audit.Violation("original misplaced", $"asset {id} {record.Status}: in originals {original.Value}, in quarantine {quarantined.Value} ({record.FailureReason})");
            }

            if (!ready && string.IsNullOrWhiteSpace(record.FailureReason))
            {
                audit.Violation("failed without a reason", $"asset {id}");
            }

            var expected = ready ? AssetStore.DeserializeRenditions(record.RenditionsJson).Select(r => r.BlobName).ToList() : [];
            listed.UnionWith(expected);
            if (ready && expected.Count == 0)
            {
                audit.Violation("ready without renditions", $"asset {id}");
            }

            foreach (var missing in expected.Where(name => !renditions.Contains(name)))
            {
                audit.Violation("rendition missing", $"asset {id}: {missing}");
            }
        }

        foreach (var orphan in renditions.Where(name => !listed.Contains(name)))
        {
            var owner = await store.FindAsync(orphan.Split('/')[0], CancellationToken.None);
            audit.Violation("orphan renditions", $"{orphan} (asset {owner?.Status ?? "without a record"} {owner?.FailureReason})");
        }

        foreach (var container in new[] { store.Uploads, store.HttpUploads })
        {
            foreach (var untaken in await AssetsTestApp.BlobNamesAsync(container))
            {
                audit.Violation("upload not taken in", $"{container.Name}/{untaken}");
            }
        }
    }
}
