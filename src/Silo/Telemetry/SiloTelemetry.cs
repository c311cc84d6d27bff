using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orchestrator.Database;
using Orchestrator.Models.Telemetry;
using Orchestrator.Silo.Hosting;

namespace Orchestrator.Silo.Telemetry;

/// <summary>
/// A silo's telemetry: the meters (the Orchestrator's, Orleans', Npgsql's, the .NET runtime's and the
/// process') behind a Prometheus endpoint when <see cref="SiloOptions.HttpPort"/> is set (with the Orleans
/// dashboard on coordinators, <see cref="SiloDashboard"/>), traces of the
/// Orchestrator's, Orleans' and Npgsql's activity sources, and both (with logs) by OTLP when the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (<c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_SERVICE_NAME</c>,
/// <c>OTEL_RESOURCE_ATTRIBUTES</c> and the rest as the OpenTelemetry SDK reads them).
/// </summary>
public static class SiloTelemetry
{
    /// <summary>Orleans' meter (about 80 instruments: messaging, grains, membership).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Orleans' activity sources; grain-call spans need activity propagation on the silo and client builders.</summary>
    public static readonly string[] OrleansSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    /// <summary>
    /// The spans of a sweep end to end: the Orchestrator's (client <c>sweep submit</c>, coordinator <c>sweep</c> and
    /// <c>configuration</c>, worker <c>run</c>, and the <c>epoch</c> spans relayed from run processes) and Orleans'
    /// grain calls, which carry the client's context to the coordinator.
    /// </summary>
    public static TracerProviderBuilder AddOrchestratorSources(this TracerProviderBuilder tracing) =>
        tracing.AddSource(OrchestratorTelemetry.Name).AddSource(OrleansSources);

    public static bool OtlpConfigured(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) && configuration["OTEL_SDK_DISABLED"] is not "true";

    public static void AddSiloTelemetry(this HostApplicationBuilder builder, SiloOptions silo, string workerName)
    {
        var otlp = OtlpConfigured(builder.Configuration);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r
                .AddService("orchestrator-silo", serviceVersion: OrchestratorTelemetry.Version, serviceInstanceId: workerName)
                .AddAttributes([new("orchestrator.role", silo.Role.ToString().ToLowerInvariant())]))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(OrchestratorTelemetry.Name, FeatureMetrics.Name, OrleansMeter)
                    .AddRuntimeInstrumentation()
                    .AddProcessInstrumentation()
                    .AddNpgsqlInstrumentation();
                if (silo.HttpPort > 0) metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddOrchestratorSources().AddNpgsql());
            telemetry.WithLogging();
            telemetry.UseOtlpExporter();
        }

        SiloInfo.Register(silo.Role);
        builder.Services.AddSingleton(s =>
        {
            var readiness = ActivatorUtilities.CreateInstance<SiloReadiness>(s);
            if (silo.Role != SiloRole.Coordinator) readiness.ExpectWorker();
            return readiness;
        });
        if (silo.Role != SiloRole.Worker)
            builder.Services.AddHostedService(s => new SweepMetrics(s.GetRequiredService<OrchestratorDatabase>(), silo.MetricsInterval,
                s.GetRequiredService<ILogger<SweepMetrics>>(), s.GetRequiredService<TimeProvider>()));
        if (silo.HttpPort > 0)
        {
            var address = IPAddress.Parse(silo.HttpAddress);
            // The dashboard's services are registered later (SiloHost's UseOrleans, coordinators only), so looked for when the endpoint is made.
            var services = builder.Services;
            builder.Services.AddHostedService(s => new SiloHttpEndpoint(address, silo.HttpPort, s.GetRequiredService<MeterProvider>(),
                s.GetRequiredService<SiloReadiness>(), s.GetRequiredService<IHostApplicationLifetime>(), s.GetRequiredService<ILoggerFactory>(),
                SiloDashboard.Of(services, s)));
        }
    }
}
