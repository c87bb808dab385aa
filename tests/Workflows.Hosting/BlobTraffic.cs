using Azure.Core;

namespace Workflows.Hosting;

/// <summary>
/// Counts what the app's blob client moves: requests, body bytes sent and received, and server-side copies (whose bytes
/// the storage account moves without them crossing the wire). Added to the app's Azure clients as a per-call policy
/// (the orchestration bench, the read-once tests).
/// </summary>
public sealed class BlobTraffic : ObservingPolicy
{
    private long _requests;
    private long _sent;
    private long _received;
    private long _copies;
    private long _reads;

    /// <summary>When set (e.g. <c>/originals/</c>), only downloads of blobs under this path count as reads.</summary>
    public string? ReadsUnder { get; set; }

    /// <summary>Body bytes of the blob downloads counted.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Blob downloads (GETs answered 200 or 206).</summary>
    public long Reads => Interlocked.Read(ref _reads);

    public (long Requests, long Sent, long Received, long Copies, long Reads) TakeSnapshot() =>
        (Interlocked.Read(ref _requests), Interlocked.Read(ref _sent), Interlocked.Read(ref _received),
         Interlocked.Read(ref _copies), Interlocked.Read(ref _reads));

    public void Reset()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _sent, 0);
        Interlocked.Exchange(ref _received, 0);
        Interlocked.Exchange(ref _copies, 0);
        Interlocked.Exchange(ref _reads, 0);
    }

    protected override void Observe(HttpMessage message)
    {
        Interlocked.Increment(ref _requests);
        if (message.Request.Content is { } content && content.TryComputeLength(out var length))
        {
            Interlocked.Add(ref _sent, length);
        }

        if (message.Request.Headers.TryGetValue("x-ms-copy-source", out _))
        {
            Interlocked.Increment(ref _copies);
        }

        // A blob download: GET on a blob (not a listing), whose body is the blob's bytes (or a range of them).
        if (message.Request.Method == RequestMethod.Get && !message.Request.Uri.Query.Contains("comp=", StringComparison.Ordinal)
            && message.Response.Status is 200 or 206
            && (ReadsUnder is null || message.Request.Uri.Path.Contains(ReadsUnder, StringComparison.Ordinal)))
        {
            Interlocked.Increment(ref _reads);
            if (message.Response.Headers.ContentLength is { } received)
            {
                Interlocked.Add(ref _received, received);
            }
        }
    }
}
