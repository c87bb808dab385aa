using System.ComponentModel.DataAnnotations;

namespace Workflows.Operations;

/// <summary>Settings of the operations features (section <c>Operations</c>).</summary>
public sealed class OperationsOptions
{
    public const string Section = "Operations";

    /// <summary>Finished instances are purged from the task hub this long after they finished.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan InstanceRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>At most this many instances per retention run (and per <c>POST /api/workflows/purge</c>).</summary>
    [Range(1, 10_000)]
    public int PurgeBatchSize { get; set; } = 500;
}
