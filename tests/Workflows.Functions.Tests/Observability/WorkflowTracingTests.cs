using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Workflows.Observability;
using Workflows.Orders;
using Workflows.Tests.Assets;
using Workflows.Tests.Orders;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Observability;

/// <summary>Spans and meters are process-wide: these tests run alone, so what they collect is their own workflow's.</summary>
[CollectionDefinition(nameof(TelemetryRunsAlone), DisableParallelization = true)]
public sealed class TelemetryRunsAlone;

/// <summary>
/// The app's own OpenTelemetry wiring on the harness (the Durable Task SDK's spans, the app's, the Azure SDK's storage
/// calls) with an in-memory exporter: one trace per workflow run, the business id on every span, no duplicates from replays.
/// </summary>
[Collection(nameof(TelemetryRunsAlone))]
public sealed class WorkflowTracingTests
{
    [Fact]
    public async Task DeclinedOrder_TracedFromRequest_EverySpanHasOrderIdAndReplaysAddNoSpansLogsOrCounts()
    {
        // Arrange
        List<Activity> spans = [];
        var logs = new LogCapture();
        using var compensations = new MeasurementCapture("workflows.compensations");
        await using var orders = await OrdersTestApp.StartAsync(services: services =>
        {
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
            logs.AddTo(services);
        });
        await orders.SeedAsync("KB-100", 10m, ("ams", 5));
        await orders.SeedAsync("MS-200", 5m, ("fra", 5));

        // Act: the request span stands for the host's HTTP invocation span.
        string orderId;
        ActivityTraceId traceId;
        using (var request = WorkflowTelemetry.Source.StartActivity("POST /api/orders", ActivityKind.Server)!)
        {
            traceId = request.TraceId;
            orderId = await orders.StartOrderAsync(OrderBody.Of(("KB-100", 1), ("MS-200", 2)).PaidWith("tok_decline"));
        }

        var outcome = await orders.WaitAsync(orderId);
        orders.App.Services.GetRequiredService<TracerProvider>().ForceFlush();

        // Assert: one trace from the request through the orchestration and its activities to the storage calls; from
        // the moment the request has an order id (only the catalogue reads of validation come before) every span has it.
        Assert.Equal(OrderStatus.Failed, outcome.Status);
        var trace = spans.Where(s => s.TraceId == traceId).ToList();
        var idKnown = trace.Where(s => s.Parent?.DisplayName == "POST /api/orders" && s.GetTagItem(WorkflowTelemetry.OrderIdAttribute) is not null)
            .Min(s => s.StartTimeUtc);
        Assert.All(trace.Where(s => s.StartTimeUtc >= idKnown || s.DisplayName == "POST /api/orders"),
            span => Assert.Equal(orderId, span.GetTagItem(WorkflowTelemetry.OrderIdAttribute)));
        Assert.All(trace.Where(s => s.StartTimeUtc < idKnown && s.DisplayName != "POST /api/orders"),
            span => Assert.True(span.DisplayName == "TableClient.GetEntityIfExists"
                                || (span.GetTagItem("url.full") as string)?.Contains("Products(", StringComparison.Ordinal) == true, span.DisplayName));
        Assert.Single(trace, s => s.DisplayName == "orchestration:OrderFulfilmentOrchestrator" && s.Kind == ActivityKind.Server);
        var executions = trace.Where(s => s.DisplayName.StartsWith("activity:", StringComparison.Ordinal) && s.Kind == ActivityKind.Server).ToList();
        Assert.Equal(2, executions.Count(s => s.DisplayName == "activity:ReserveStock"));
        Assert.Single(executions, s => s.DisplayName == "activity:ChargePayment");
        Assert.Equal(2, executions.Count(s => s.DisplayName == "activity:ReleaseStock"));
        Assert.All(executions.GroupBy(s => s.ParentSpanId), execution => Assert.Single(execution)); // one run per scheduled task
        Assert.Contains(trace, s => s.Source.Name.StartsWith("Azure.", StringComparison.Ordinal) && s.Parent?.DisplayName == "activity:ReserveStock");

        // Replays re-run the orchestrator many times; its log lines and counts appear once per compensation.
        Assert.Equal(2, logs.Lines.Count(l => l.Message == $"{orderId}: compensation ReleaseStock ran"));
        Assert.Equal(2, compensations.Count(("activity", "ReleaseStock"), ("result", "succeeded")));
    }

    [Fact]
    public async Task Upload_TracedToReady_EverySpanHasAssetIdAndMetricsRecorded()
    {
        // Arrange
        List<Activity> spans = [];
        using var finished = new MeasurementCapture("workflows.assets.finished");
        using var renditions = new MeasurementCapture("workflows.rendition.duration");
        await using var assets = await AssetsTestApp.StartAsync(services: services =>
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)));

        // Act
        ActivityTraceId traceId;
        string assetId;
        using (var trigger = WorkflowTelemetry.Source.StartActivity("AssetUploaded", ActivityKind.Server)!)
        {
            traceId = trigger.TraceId;
            var blob = await assets.PutUploadAsync("photo.jpg", TestImages.Jpeg(900, 600));
            assetId = await AssetsTestApp.AssetIdOfAsync(blob);
            await assets.FireTriggerAsync(blob);
        }

        await assets.WaitAsync(assetId);
        assets.App.Services.GetRequiredService<TracerProvider>().ForceFlush();

        // Assert: every span from the trigger's start of the pipeline on has the asset id (the upload itself came before it).
        var trace = spans.Where(s => s.TraceId == traceId).ToList();
        Assert.Single(trace, s => s.DisplayName == "orchestration:AssetPipelineOrchestrator" && s.Kind == ActivityKind.Server);
        Assert.Single(trace, s => s.DisplayName == "activity:MarkAssetReady" && s.Kind == ActivityKind.Server);
        Assert.Single(trace, s => s.DisplayName.StartsWith("activity:Render", StringComparison.Ordinal) && s.Kind == ActivityKind.Server); // one decode for every rendition
        Assert.Contains(trace, s => s.Source.Name.StartsWith("Azure.", StringComparison.Ordinal) && s.Parent?.DisplayName == "activity:RenderRenditions");
        var started = trace.Where(s => s.Parent?.DisplayName == "AssetUploaded" && s.GetTagItem(WorkflowTelemetry.AssetIdAttribute) is not null)
            .Min(s => s.StartTimeUtc);
        Assert.All(trace.Where(s => s.StartTimeUtc >= started), span => Assert.Equal(assetId, span.GetTagItem(WorkflowTelemetry.AssetIdAttribute)));
        Assert.Equal(1, finished.Count(("outcome", "Ready")));
        Assert.Equal(1, renditions.Count(("rendition", "jpeg-800")));
    }
}

/// <summary>Collects one instrument's measurements (with their tags) from the app's meter while it lives.</summary>
internal sealed class MeasurementCapture : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<KeyValuePair<string, object?>[]> _measurements = [];

    public MeasurementCapture(string instrument)
    {
        _listener.InstrumentPublished = (found, listener) =>
        {
            if (found.Meter.Name == WorkflowMetrics.Meter.Name && found.Name == instrument)
            {
                listener.EnableMeasurementEvents(found);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) => Add(tags));
        _listener.SetMeasurementEventCallback<double>((_, _, tags, _) => Add(tags));
        _listener.Start();
    }

    public int Count(params (string Key, string Value)[] tags)
    {
        lock (_measurements)
        {
            return _measurements.Count(m => tags.All(t => m.Any(kv => kv.Key == t.Key && Equals(kv.Value, t.Value))));
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Add(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_measurements)
        {
            _measurements.Add(tags.ToArray());
        }
    }
}
