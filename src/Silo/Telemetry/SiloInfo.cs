using Orchestrator.Silo.Hosting;

namespace Orchestrator.Silo.Telemetry;

/// <summary><c>orchestrator_silo_info{role, version}</c>: 1 while a silo of the process is up.</summary>
public static class SiloInfo
{
    private static readonly HashSet<SiloRole> Roles = [];

    static SiloInfo()
    {
        OrchestratorTelemetry.Meter.CreateObservableGauge("orchestrator.silo.info", () =>
        {
            lock (Roles)
                return Roles.Select(r => new System.Diagnostics.Metrics.Measurement<int>(1,
                    new KeyValuePair<string, object?>("role", r.ToString().ToLowerInvariant()),
                    new KeyValuePair<string, object?>("version", OrchestratorTelemetry.Version))).ToList();
        }, unit: null, "1 while the silo is up; its role and build.");
    }

    public static void Register(SiloRole role)
    {
        lock (Roles) Roles.Add(role);
    }
}
