using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

namespace Workflows.Tests.TestSupport;

/// <summary>
/// An Azure SDK pipeline policy that fails, with a 503 as an outage would, every request whose path contains
/// <see cref="FailPathsContaining"/> (a table name, an entity key…) while it is set.
/// </summary>
internal sealed class StorageFault : HttpPipelinePolicy
{
    public volatile string? FailPathsContaining;

    /// <summary>Table client options with this fault and no SDK retries, so the fault surfaces at once.</summary>
    public TableClientOptions TableClientOptions()
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 0;
        options.AddPolicy(this, HttpPipelinePosition.PerRetry);
        return options;
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ThrowIfFaulty(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ThrowIfFaulty(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void ThrowIfFaulty(HttpMessage message)
    {
        if (FailPathsContaining is { } marker && message.Request.Uri.Path.Contains(marker, StringComparison.Ordinal))
        {
            throw new RequestFailedException(503, $"Storage unavailable for '{marker}' (test fault)");
        }
    }
}
