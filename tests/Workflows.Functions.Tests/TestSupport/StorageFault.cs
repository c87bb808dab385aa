using System.Collections.Concurrent;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;

namespace Workflows.Tests.TestSupport;

/// <summary>
/// An Azure SDK transport (the network, as the SDK sees it) that fails storage requests: every request whose path
/// contains <see cref="FailPathsContaining"/> (a table name, an entity key…) with a 503, as an outage would, while it is
/// set; and, after <see cref="FailShare"/>, a seeded random share of all requests with a 500 or 503 answer or a timeout
/// after the request reached storage (the write happened, the answer was lost). It is the transport, not a pipeline
/// policy, so the SDK's own policies treat its answers as they treat storage's: classified as errors, retried, raised.
/// (A policy that answers before the transport leaves <c>Response.IsError</c> unset: the SDKs then neither retry nor
/// raise a 500, and a HEAD answered 500 reads as blob properties.)
/// </summary>
internal sealed class StorageFault : HttpPipelineTransport
{
    private static readonly HttpPipelineTransport Network = HttpClientTransport.Shared;

    public volatile string? FailPathsContaining;

    private static readonly AsyncLocal<bool> Outside = new();
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private Random? _random;
    private double _share;
    private int _requests;
    private readonly int[] _faults = new int[3]; // 500, 503, timeouts
    private readonly List<Targeted> _targeted = [];

    public int Requests => _requests;

    public int Injected => _faults.Sum();

    /// <summary>The most attempts the SDK made for one request (its client request id), faults included.</summary>
    public int MaxAttemptsOfOneRequest => _attempts.IsEmpty ? 0 : _attempts.Values.Max();

    public string Figures => $"requests={_requests} faults={Injected} (500: {_faults[0]}, 503: {_faults[1]}, timeouts after the write: {_faults[2]}) max attempts of one request={MaxAttemptsOfOneRequest}";

    /// <summary>From now on fails about <paramref name="share"/> of the requests (0 stops), chosen by <paramref name="seed"/>.</summary>
    public void FailShare(double share, int seed)
    {
        lock (_lock)
        {
            _random = new Random(seed);
            _share = share;
        }
    }

    /// <summary>
    /// Fails the next <paramref name="count"/> requests that <paramref name="matches"/> picks (by any flow, whatever the
    /// random share): <paramref name="status"/> 500 or 503 answers instead of storage; 408 lets the request reach
    /// storage and then loses its answer (a timeout after the write).
    /// </summary>
    public void FailNext(Func<Request, bool> matches, int status, int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(status is 500 or 503 or 408, true, nameof(status));
        lock (_lock)
        {
            _targeted.Add(new Targeted(matches, status) { Left = count });
        }
    }

    /// <summary>
    /// Until disposed, requests made by this flow (a test acting as a user or an uploader, outside the app) are never
    /// failed by the random share.
    /// </summary>
    public static IDisposable OutsideTheApp()
    {
        Outside.Value = true;
        return new Scope();
    }

    /// <summary>Table client options with this fault and no SDK retries, so the fault surfaces at once.</summary>
    public TableClientOptions TableClientOptions()
    {
        var options = new TableClientOptions { Transport = this };
        options.Retry.MaxRetries = 0;
        return options;
    }

    /// <summary>
    /// Puts this fault into every storage client the app builds (blob, queue, table), behind the SDK's own retries (3,
    /// as in production; their delay shortened to 20 ms so tests run in seconds).
    /// </summary>
    public void InjectIntoAppStorage(IServiceCollection services) =>
        services.AddAzureClients(clients => clients.ConfigureDefaults(options =>
        {
            options.Retry.Delay = TimeSpan.FromMilliseconds(20);
            options.Transport = this;
        }));

    public override Request CreateRequest() => Network.CreateRequest();

    public override void Process(HttpMessage message)
    {
        if (!Answered(message, out var timeout))
        {
            Network.Process(message);
            ThrowIf(timeout);
        }
    }

    public override async ValueTask ProcessAsync(HttpMessage message)
    {
        if (!Answered(message, out var timeout))
        {
            await Network.ProcessAsync(message);
            ThrowIf(timeout);
        }
    }

    /// <summary>True when the fault answers instead of storage; <paramref name="timeout"/>: lose storage's answer.</summary>
    private bool Answered(HttpMessage message, out bool timeout)
    {
        if (FailPathsContaining is { } marker && message.Request.Uri.Path.Contains(marker, StringComparison.Ordinal))
        {
            throw new RequestFailedException(503, $"Storage unavailable for '{marker}' (test fault)");
        }

        var fault = NextFault(message);
        timeout = fault is 408;
        if (fault is 500 or 503)
        {
            message.Response = new FaultResponse(fault.Value, message.Request.ClientRequestId);
            return true;
        }

        return false;
    }

    private static void ThrowIf(bool timeout)
    {
        if (timeout)
        {
            throw new TaskCanceledException("The storage request timed out (test fault).", new TimeoutException());
        }
    }

    /// <summary>null, or 500 / 503 (answered instead of sending) or 408 (a timeout once the request went through).</summary>
    private int? NextFault(HttpMessage message)
    {
        Interlocked.Increment(ref _requests);
        _attempts.AddOrUpdate(message.Request.ClientRequestId, 1, (_, n) => n + 1);
        int roll;
        lock (_lock)
        {
            if (_targeted.FirstOrDefault(t => t.Left > 0 && t.Matches(message.Request)) is { } targeted)
            {
                targeted.Left--;
                roll = targeted.Status switch { 500 => 0, 503 => 1, _ => 2 };
            }
            else if (_random is null || Outside.Value || _random.NextDouble() >= _share)
            {
                return null;
            }
            else
            {
                roll = _random.Next(3);
            }
        }

        Interlocked.Increment(ref _faults[roll]);
        return roll switch { 0 => 500, 1 => 503, _ => 408 };
    }

    private sealed record Targeted(Func<Request, bool> Matches, int Status)
    {
        public int Left { get; set; }
    }

    private sealed class Scope : IDisposable
    {
        public void Dispose() => Outside.Value = false;
    }

    /// <summary>A bodiless error answer, as a storage front end under load gives.</summary>
    private sealed class FaultResponse(int status, string clientRequestId) : Response
    {
        public override int Status => status;

        public override string ReasonPhrase => status == 500 ? "Internal Server Error (test fault)" : "Service Unavailable (test fault)";

        public override Stream? ContentStream { get; set; }

        public override string ClientRequestId { get; set; } = clientRequestId;

        public override void Dispose()
        {
        }

        protected override bool ContainsHeader(string name) => false;

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];

        protected override bool TryGetHeader(string name, out string value)
        {
            value = "";
            return false;
        }

        protected override bool TryGetHeaderValues(string name, out IEnumerable<string> values)
        {
            values = [];
            return false;
        }
    }
}
