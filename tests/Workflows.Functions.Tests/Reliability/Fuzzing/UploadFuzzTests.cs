using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Workflows.Assets;
using Workflows.Assets.Imaging;
using Workflows.Assets.Storage;
using Workflows.Tests.Assets;
using Workflows.Tests.TestSupport;
using Xunit.Abstractions;

namespace Workflows.Tests.Reliability.Fuzzing;

/// <summary>
/// Property-based fuzzing (FsCheck) of <c>POST /api/assets</c> through the real HTTP server, function keys checked
/// (<see cref="UploadFuzz"/>): never a 5xx; every answer of the function's own that is a 4xx is problem-details; a
/// request whose parts decide it gets that status (401 without a key, 415, 413, 400, 202). Then every 202's asset is
/// audited through the pipeline (<see cref="AssetAudit"/>: Ready with its renditions, or Failed with a reason and its
/// original in quarantine), a real image sent as itself is Ready, the file name is kept as sent, and every blob the
/// containers hold is named from a validated asset id (none from a user's name, none for a rejected request).
/// Quick: 200 requests; <c>WORKFLOWS_RELIABILITY=long</c>: 3,000.
/// </summary>
[Collection(nameof(ReliabilityRunsAlone))]
public sealed class UploadFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    // Small enough that bodies at and over it are cheap; far above every seed image.
    private const long MaxUploadBytes = 256 * 1024;

    private static readonly FunctionKeys Keys = new("function-key-" + Guid.NewGuid().ToString("N"), "admin-key-" + Guid.NewGuid().ToString("N"));
    private static readonly string[] RenditionExtensions = [.. Enum.GetValues<RenditionFormat>().Select(RenditionNames.Extension)];

    private readonly ConcurrentDictionary<string, int> _tried = new();
    private readonly ConcurrentDictionary<string, UploadRequest> _accepted = new();
    private HttpTestApp _api = null!;

    public async Task InitializeAsync() => _api = await HttpTestApp.StartAsync(
        s => AssetsTestApp.Configure(s, v => v["Assets:MaxUploadBytes"] = MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        keys: Keys);

    [Fact]
    public async Task UploadAsset_GeneratedRequests_NeverA5xxRejectionsAreProblemsAndEveryAcceptedUploadSettles()
    {
        // Arrange
        var run = ReliabilityRun.Current;
        var config = Config.QuickThrowOnFailure
            .WithMaxTest(run.Pick(200, 3000))
            .WithReplay(new Replay(new Rnd((ulong)run.Seed, 0x9E3779B97F4A7C15UL), null));
        var started = Stopwatch.GetTimestamp();

        // Act
        Check.One(config, Prop.ForAll(UploadFuzz.Requests(Keys.FunctionKey, MaxUploadBytes).ToArbitrary(), request => Answer(request).GetAwaiter().GetResult()));
        var requestsTook = Stopwatch.GetElapsedTime(started);
        var store = _api.Get<AssetStore>();
        foreach (var assetId in _accepted.Keys)
        {
            await _api.App.WaitForCompletionAsync(AssetIds.InstanceId(assetId), AssetsTestApp.Timeout);
        }

        // Assert
        var audit = new Audit();
        await AssetAudit.AuditAsync(audit, store, _api.App.Client, [.. _accepted.Keys]);
        foreach (var (assetId, request) in _accepted)
        {
            await AuditAcceptedAsync(audit, store, assetId, request);
        }

        await AuditBlobNamesAsync(audit, store);
        output.WriteLine($"upload fuzzing ({run.Name}, seed {run.Seed}): {_tried.Where(t => t.Key.StartsWith("status", StringComparison.Ordinal)).Sum(t => t.Value)} requests, 0 5xx; " +
            string.Join(", ", _tried.Where(t => t.Key.StartsWith("status", StringComparison.Ordinal)).OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key} {t.Value}")) +
            $"; requests {requestsTook.TotalSeconds:0} s, pipelines and audit {Stopwatch.GetElapsedTime(started).TotalSeconds - requestsTook.TotalSeconds:0} s; " +
            $"load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; audit: {audit.Figures()}");
        output.WriteLine(string.Join(Environment.NewLine, _tried.Where(t => !t.Key.StartsWith("status", StringComparison.Ordinal))
            .OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"  {t.Key}: {t.Value}")));
        foreach (var violated in _accepted.Where(a => audit.Violations.Any(v => v.Contains(a.Key, StringComparison.Ordinal))))
        {
            output.WriteLine($"  asset {violated.Key}: {violated.Value}");
        }

        audit.AssertClean();
    }

    private async Task Answer(UploadRequest request)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.PathAndQuery);
        message.Content = request.Chunked ? new StreamContent(new ForwardOnlyStream(request.Body)) : new ByteArrayContent(request.Body);
        if (request.ContentType is not null)
        {
            message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        }

        if (request.FileNameHeader is { } fileName)
        {
            var ascii = new string([.. fileName.Where(c => char.IsAscii(c) && !char.IsControl(c) && c != '"')]);
            message.Content.Headers.TryAddWithoutValidation("Content-Disposition", $"attachment; filename=\"{ascii}\"; filename*=UTF-8''{Uri.EscapeDataString(fileName)}");
        }

        if (request.KeyHeader is not null)
        {
            message.Headers.TryAddWithoutValidation("x-functions-key", request.KeyHeader);
        }

        using var response = await _api.Http.SendAsync(message);
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        _tried.AddOrUpdate($"{request.Kind} {status}", 1, (_, n) => n + 1);
        _tried.AddOrUpdate($"status {status}", 1, (_, n) => n + 1);

        Assert.True(status < 500, $"{status} for {request}: {body}");
        Assert.True(request.Expected.Length == 0 || request.Expected.Contains(status), $"{status} for {request}: {body}");

        // The host answers a missing key (401) and a method the route has not (404/405) itself, without a body.
        var fromHost = status == 401 || request.Method != "POST";
        if (status >= 400 && !fromHost)
        {
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{status} without a problem for {request}: {body}");
            var problem = JsonSerializer.Deserialize<JsonElement>(body);
            Assert.True(problem.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String, $"no title: {body}");
            Assert.True(problem.TryGetProperty("status", out var code) && code.GetInt32() == status, $"no status {status}: {body}");
        }

        if (status == 202)
        {
            var assetId = JsonSerializer.Deserialize<JsonElement>(body).GetProperty("id").GetString();
            Assert.True(AssetIds.IsValid(assetId), $"202 without an asset id for {request}: {body}");
            _accepted[assetId!] = request;
        }
    }

    // A real image sent as itself is Ready; the name is the one sent (or the default "upload" with the type's extension).
    private static async Task AuditAcceptedAsync(Audit audit, AssetStore store, string assetId, UploadRequest request)
    {
        var record = await store.FindAsync(assetId, CancellationToken.None);
        if (request.MustBeReady && record?.Status != nameof(AssetStatus.Ready))
        {
            audit.Violation("real image not ready", $"asset {assetId}: {record?.Status} {record?.FailureReason}");
        }

        if (request.ServerName is { } sent ? record?.OriginalName != sent : record?.OriginalName?.StartsWith("upload.", StringComparison.Ordinal) != true)
        {
            audit.Violation("name not kept", $"asset {assetId}: '{record?.OriginalName}', sent '{request.ServerName}'");
        }
    }

    // Originals and quarantine hold accepted asset ids only; renditions "{accepted id}/{rendition name}.{extension}".
    private async Task AuditBlobNamesAsync(Audit audit, AssetStore store)
    {
        foreach (var (label, container) in new[] { ("originals", store.Originals), ("quarantine", store.Quarantine) })
        {
            foreach (var name in await AssetsTestApp.BlobNamesAsync(container))
            {
                audit.Count($"blobs in {label}");
                if (!_accepted.ContainsKey(name))
                {
                    audit.Violation("blob of no accepted upload", $"{container.Name}/{name}");
                }
            }
        }

        foreach (var name in await AssetsTestApp.BlobNamesAsync(store.Renditions))
        {
            var (assetId, file) = (name.Split('/')[0], name[(name.IndexOf('/', StringComparison.Ordinal) + 1)..]);
            var dot = file.LastIndexOf('.');
            if (!_accepted.ContainsKey(assetId) || dot < 0 || !AssetNames.IsValidRenditionName(file[..dot]) || !RenditionExtensions.Contains(file[(dot + 1)..]))
            {
                audit.Violation("rendition blob misnamed", name);
            }
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            await AssetsTestApp.DeleteStorageAsync(_api.Get<AssetStore>());
        }
        finally
        {
            await _api.DisposeAsync();
        }
    }
}
