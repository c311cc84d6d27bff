using System.Diagnostics;
using Orchestrator.Contracts.Sweeps;
using Orchestrator.Database;

namespace Orchestrator.Grains.Sweeps;

/// <summary>
/// The spans of a sweep's submission on the coordinator: <c>sweep</c>, a child of the caller's span
/// (Orleans' activity propagation carries the client's <c>sweep submit</c> span into the grain call),
/// and a <c>configuration</c> span under it for each configuration. Their contexts are stored with the
/// sweep (<see cref="SweepTraceContext"/>), since runs reach workers through the database, not by a call:
/// a worker makes each run's span a child of its configuration's, giving sweep -> configuration -> run
/// -> epoch in one trace. The spans end with the submission; a week-long span would be exported only at
/// its end, or never if the coordinator restarts, and a trace's children may outlive their parents.
/// </summary>
internal static class SweepTracing
{
    /// <summary>
    /// The Orchestrator's activity source, by name: the same as the silos' <c>OrchestratorTelemetry.Source</c>
    /// (which this project cannot reference), so one <c>AddSource("Orchestrator")</c> listens to both.
    /// </summary>
    public static readonly ActivitySource Source = new("Orchestrator");

    /// <summary>The started spans: the sweep's and one per configuration key. Dispose to end them all.</summary>
    public sealed class Spans(Activity? sweep, IReadOnlyDictionary<string, Activity> configurations) : IDisposable
    {
        /// <summary>What to store with the sweep; null when nothing listens (then the caller's context alone, if any).</summary>
        public SweepTraceContext? Context =>
            (sweep?.Id ?? Activity.Current?.Id) is { } id && IsW3C(id)
                ? new SweepTraceContext(id, configurations.ToDictionary(c => c.Key, c => c.Value.Id!))
                : null;

        /// <summary>Tags every span with the sweep's id, known only once it is recorded.</summary>
        public void Recorded(long sweepId)
        {
            sweep?.SetTag("orchestrator.sweep.id", sweepId);
            foreach (var configuration in configurations.Values) configuration.SetTag("orchestrator.sweep.id", sweepId);
        }

        public void Dispose()
        {
            foreach (var configuration in configurations.Values) configuration.Dispose();
            sweep?.Dispose();
        }
    }

    public static Spans Start(SweepRequest request)
    {
        var sweep = Source.StartActivity("sweep", ActivityKind.Internal);
        sweep?.SetTag("orchestrator.sweep.name", request.Name)
            .SetTag("orchestrator.store", request.StoreFingerprint)
            .SetTag("orchestrator.configurations", request.Configurations.Count)
            .SetTag("orchestrator.folds", string.Join(',', request.Folds))
            .SetTag("orchestrator.repeats", request.Repeats);
        var configurations = new Dictionary<string, Activity>();
        if (sweep is not null)
            foreach (var configuration in request.Configurations)
                if (Source.StartActivity("configuration", ActivityKind.Internal, sweep.Context) is { } span)
                {
                    span.SetTag("orchestrator.configuration", configuration.Key)
                        .SetTag("orchestrator.model", configuration.Model)
                        .SetTag("orchestrator.streams", configuration.Streams);
                    // Siblings, not a chain: starting a span makes it current, and the next would nest under it.
                    Activity.Current = sweep;
                    configurations[configuration.Key] = span;
                }
        return new Spans(sweep, configurations);
    }

    /// <summary>Only W3C ids (<c>00-...</c>) parse back on a worker; a hierarchical id from an old-style caller is not kept.</summary>
    private static bool IsW3C(string id) => ActivityContext.TryParse(id, null, out _);
}
