using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Workflows.Observability;

public static class TelemetryRegistration
{
    /// <summary>
    /// OpenTelemetry traces, metrics and logs: the Functions worker's invocation spans, the Durable Task SDK's, the
    /// app's, and the Azure SDK's storage calls, each with the order or asset id. Exporters by setting: Azure Monitor
    /// when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (Entra ID ingestion when
    /// <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> names a client id), OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
    /// is set, the console when <c>Telemetry__Console</c> is true.
    /// </summary>
    public static IServiceCollection AddWorkflowsTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<HealthProbe>();

        // The Azure SDK emits spans for its requests only with this switch (still "experimental" in Azure.Core).
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);

        var telemetry = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing
                .AddSource(WorkflowTelemetry.SourceName, "Microsoft.DurableTask", "Azure.*")
                .AddProcessor(new WorkflowIdsProcessor()))
            .WithMetrics(metrics => metrics.AddMeter(WorkflowMetrics.Meter.Name))
            .WithLogging();

        if (configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"] is { Length: > 0 } connectionString)
        {
            telemetry.UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = connectionString;
                if (ClientIdOf(configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]) is { } clientId)
                {
                    options.Credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
                }
            });
        }

        if (!string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        if (configuration.GetValue<bool>("Telemetry:Console"))
        {
            telemetry.WithTracing(t => t.AddConsoleExporter()).WithMetrics(m => m.AddConsoleExporter()).WithLogging(l => l.AddConsoleExporter());
        }

        return services;
    }

    /// <summary>The <c>ClientId</c> of an App Insights authentication string (<c>ClientId=…;Authorization=AAD</c>).</summary>
    private static string? ClientIdOf(string? authentication) =>
        authentication?.Split(';')
            .Select(part => part.Split('=', 2))
            .FirstOrDefault(kv => kv.Length == 2 && kv[0].Trim().Equals("ClientId", StringComparison.OrdinalIgnoreCase))?[1].Trim();
}
