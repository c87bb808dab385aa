using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace Workflows.Shared.Storage;

/// <summary>
/// Creating tables and queues so that a failed creation is never taken for a created one. The SDKs'
/// <c>CreateIfNotExistsAsync</c> for tables and queues hand a 5xx answer back to the caller instead of raising it:
/// a store that caches its table or queue once that returns would keep one that was never created, and every later
/// request would fail with TableNotFound / QueueNotFound until the process restarts. (Blob containers raise it.)
/// </summary>
public static class StorageCreation
{
    public static async Task CreateIfMissingAsync(this TableClient table, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(table);
        ThrowIfFailed((await table.CreateIfNotExistsAsync(ct))?.GetRawResponse());
    }

    public static async Task CreateIfMissingAsync(this QueueClient queue, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ThrowIfFailed(await queue.CreateIfNotExistsAsync(cancellationToken: ct));
    }

    /// <summary>409: it exists already, which is what was asked for.</summary>
    private static void ThrowIfFailed(Response? answer)
    {
        if (answer is { Status: >= 400 and not 409 })
        {
            throw new RequestFailedException(answer);
        }
    }
}
