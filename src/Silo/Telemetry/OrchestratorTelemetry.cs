using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace Orchestrator.Silo.Telemetry;

/// <summary>
/// The Orchestrator's own meter and activity source, both named <c>Orchestrator</c>. Instrument names
/// are dotted (<c>orchestrator.runs.succeeded</c>); the Prometheus exporter turns dots into underscores and
/// appends the unit (<c>s</c>: <c>_seconds</c>, <c>By</c>: <c>_bytes</c>; <c>{run}</c>-style annotations add
/// nothing) and <c>_total</c> to counters, which gives the names of deploy/metrics.txt.
/// </summary>
public static class OrchestratorTelemetry
{
    public const string Name = "Orchestrator";

    /// <summary>The build, as the assembly's informational version (<c>orchestrator_silo_info{version}</c>).</summary>
    public static string Version { get; } =
        typeof(OrchestratorTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    public static readonly Meter Meter = new(Name, Version);

    public static readonly ActivitySource Source = new(Name, Version);
}
