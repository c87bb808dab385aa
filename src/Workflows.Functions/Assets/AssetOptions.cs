using System.ComponentModel.DataAnnotations;

namespace Workflows.Assets;

/// <summary>Settings of the asset pipeline, bound from the <c>Assets</c> configuration section.</summary>
public sealed class AssetOptions
{
    public const string SectionName = "Assets";

    /// <summary>The binding expression of the uploads container, shared by the blob trigger and this class.</summary>
    public const string UploadsContainerSetting = "%Assets:UploadsContainer%";

    private const string ContainerPattern = "^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$";
    // 3-57 characters: the sweep cursors' table is named {AssetsTable}Sweeps, the list index {AssetsTable}Index (table names end at 63).
    private const string TablePattern = "^[A-Za-z][A-Za-z0-9]{2,56}$";

    /// <summary>Raw uploads written with storage tools; the blob trigger and the reconciliation sweep watch it.</summary>
    [Required, RegularExpression(ContainerPattern)]
    public string UploadsContainer { get; set; } = "uploads";

    /// <summary>
    /// Raw uploads received over HTTP, which start their pipeline themselves: kept out of the blob trigger's container
    /// so an HTTP upload never fires the trigger too. Only the reconciliation sweep looks here.
    /// </summary>
    [Required, RegularExpression(ContainerPattern)]
    public string HttpUploadsContainer { get; set; } = "http-uploads";

    /// <summary>Originals, kept by asset id.</summary>
    [Required, RegularExpression(ContainerPattern)]
    public string OriginalsContainer { get; set; } = "originals";

    /// <summary>Renditions, named <c>{assetId}/{rendition}.{ext}</c>.</summary>
    [Required, RegularExpression(ContainerPattern)]
    public string RenditionsContainer { get; set; } = "renditions";

    /// <summary>Originals of failed assets, kept by asset id for inspection.</summary>
    [Required, RegularExpression(ContainerPattern)]
    public string QuarantineContainer { get; set; } = "quarantine";

    [Required, RegularExpression(TablePattern)]
    public string AssetsTable { get; set; } = "assets";

    /// <summary>Storage queue that receives an <c>AssetReady</c> event per asset that becomes ready.</summary>
    [Required, RegularExpression(ContainerPattern)]
    public string ReadyQueue { get; set; } = "asset-ready";

    /// <summary>Largest accepted upload; bigger HTTP uploads get 413, bigger blobs in the uploads container fail.</summary>
    [Range(1, 1L << 40)]
    public long MaxUploadBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>
    /// How old an upload without an asset must be before the reconciliation sweep starts it: long enough that the blob
    /// trigger (which takes an upload within ~2 s) has normally started it, so the sweep rarely duplicates its work.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan SweepMinAge { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long an asset's renditions must have been left unwritten (newest blob) before the orphan sweep looks at them:
    /// past the host's functionTimeout (30 minutes by default), so no render of the asset can still be running.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan OrphanRenditionMinAge { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Assets (rendition prefixes) the orphan sweep looks at per run; the next run goes on from there.</summary>
    [Range(1, 5000)]
    public int OrphanSweepPageSize { get; set; } = 500;

    /// <summary>
    /// When true, a rendition request is answered with a redirect to a read-only SAS URL valid for
    /// <see cref="RenditionSasLifetime"/>; otherwise the rendition is streamed through the app.
    /// Signed by the app with the account key, or with a user-delegation key under a managed identity; HTTPS-only
    /// wherever the account is reached over HTTPS.
    /// </summary>
    public bool RedirectRenditionsWithSas { get; set; }

    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan RenditionSasLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Assets per bulk-reprocess page: also the number of sub-orchestrations running at once.</summary>
    [Range(1, 500)]
    public int ReprocessPageSize { get; set; } = 50;

    /// <summary>Attempts per pipeline activity (transient storage faults); image rejections are never retried.</summary>
    [Range(1, 10)]
    public int ActivityMaxAttempts { get; set; } = 3;

    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan ActivityFirstRetryInterval { get; set; } = TimeSpan.FromSeconds(5);
}
