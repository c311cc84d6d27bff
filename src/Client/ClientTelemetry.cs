using Microsoft.Extensions.Configuration;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Orchestrator.Models.Telemetry;
using Orchestrator.Silo.Telemetry;

namespace Orchestrator.Client;

/// <summary>
/// Telemetry of work the client does itself, outside any silo: feature extraction. Exported by OTLP when
/// the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (a client has no scrape endpoint: it is gone by the
/// next scrape); nothing otherwise.
/// </summary>
public static class ClientTelemetry
{
    /// <summary>
    /// A meter provider for <see cref="FeatureMetrics"/> (extraction's audio seconds and utterances, store
    /// reads), or null when no OTLP endpoint is set. Disposing it exports what is left. Not used while a silo
    /// runs in this process: the silo's own provider exports the same meter, and both would send every point.
    /// </summary>
    public static MeterProvider? StartFeatureMetrics()
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        if (!SiloTelemetry.OtlpConfigured(configuration)) return null;
        return Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r => r.AddService("orchestrator-client", serviceVersion: OrchestratorTelemetry.Version))
            .AddMeter(FeatureMetrics.Name)
            .AddOtlpExporter()
            .Build();
    }
}
