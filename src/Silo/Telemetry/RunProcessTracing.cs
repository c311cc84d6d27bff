using System.Diagnostics;

namespace Orchestrator.Silo.Telemetry;

/// <summary>
/// Tracing inside a run process (<c>orchestrator train --json</c> started by a worker): the run span's
/// context comes in <c>TRACEPARENT</c>/<c>TRACESTATE</c> (set by <c>RunProcess</c>), and every Orchestrator
/// span the process finishes goes out as a line on standard error (<see cref="RunSpans"/>) for the worker
/// to export. No OpenTelemetry SDK here: a plain <see cref="ActivityListener"/> is all a relay needs.
/// </summary>
public sealed class RunProcessTracing : IDisposable
{
    private readonly ActivityListener _listener;

    private RunProcessTracing(ActivityContext parent, TextWriter output)
    {
        Parent = parent;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == OrchestratorTelemetry.Name,
            // The run span's sampling decision holds for its children, as OpenTelemetry's parent-based sampler has it.
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.PropagationData,
            ActivityStopped = span =>
            {
                if (span.Recorded) output.WriteLine(RunSpans.Line(span));      // Console.Error is synchronised: lines never interleave
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The run span's context: the parent of this process' spans.</summary>
    public ActivityContext Parent { get; }

    /// <summary>Tracing for this process when it was started under a traced run (a valid <c>TRACEPARENT</c>); null otherwise.</summary>
    public static RunProcessTracing? FromEnvironment(TextWriter output) =>
        ActivityContext.TryParse(Environment.GetEnvironmentVariable("TRACEPARENT"), Environment.GetEnvironmentVariable("TRACESTATE"), isRemote: true, out var parent)
            ? new RunProcessTracing(parent, output)
            : null;

    /// <summary>
    /// The span of an epoch that ran from <paramref name="start"/> until now, a child of the run span,
    /// ended at once; it goes out to the worker as it ends.
    /// </summary>
    public void Epoch(DateTime start, IEnumerable<KeyValuePair<string, object?>> tags)
    {
        using var span = OrchestratorTelemetry.Source.StartActivity("epoch", ActivityKind.Internal, Parent, tags, startTime: start);
    }

    public void Dispose() => _listener.Dispose();
}
