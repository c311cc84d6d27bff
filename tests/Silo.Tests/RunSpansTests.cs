using System.Diagnostics;
using Orchestrator.Silo.Telemetry;

namespace Orchestrator.Silo.Tests;

/// <summary>The span lines of run processes (<see cref="RunSpans"/>): what the worker re-creates, and what it refuses.</summary>
public sealed class RunSpansTests : IDisposable
{
    private readonly List<Activity> _stopped = [];
    private readonly ActivityListener _listener;

    public RunSpansTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == OrchestratorTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (_stopped) _stopped.Add(a); },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public void A_span_line_of_the_runs_trace_is_re_created_under_its_parent_with_its_times_and_attributes()
    {
        using var run = OrchestratorTelemetry.Source.StartActivity("run-under-test", ActivityKind.Consumer, default(ActivityContext))!;
        var start = new DateTime(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);
        var line = Line(run.Context, start, TimeSpan.FromSeconds(2.5));

        Assert.True(RunSpans.Relay(line, run, [new("orchestrator.run.id", 7L)]));

        Activity relayed;
        lock (_stopped) relayed = Assert.Single(_stopped, a => a.DisplayName == "epoch-under-test");
        Assert.Equal((run.TraceId, run.SpanId), (relayed.TraceId, relayed.ParentSpanId));
        Assert.Equal((start, TimeSpan.FromSeconds(2.5)), (relayed.StartTimeUtc, relayed.Duration));
        Assert.Equal((7L, 3L, 0.25, true), ((long)relayed.GetTagItem("orchestrator.run.id")!, (long)relayed.GetTagItem("orchestrator.epoch")!,
            (double)relayed.GetTagItem("orchestrator.validation_ua")!, (bool)relayed.GetTagItem("orchestrator.best")!));
        Assert.NotNull(relayed.GetTagItem("orchestrator.child.span_id"));
    }

    [Fact]
    public void A_span_line_of_another_trace_or_a_line_that_is_no_span_is_refused()
    {
        using var run = OrchestratorTelemetry.Source.StartActivity("run-under-test", ActivityKind.Consumer, default(ActivityContext))!;
        var foreign = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);

        Assert.False(RunSpans.Relay(Line(foreign, DateTime.UtcNow, TimeSpan.FromSeconds(1)), run, []));
        Assert.False(RunSpans.Relay("{\"epoch\":1}", run, []));
        Assert.False(RunSpans.Relay("{\"span\":{\"name\":\"broken\"", run, []));
        lock (_stopped) Assert.DoesNotContain(_stopped, a => a.DisplayName == "epoch-under-test");
    }

    /// <summary>The line a run process prints for an epoch span under <paramref name="parent"/>, made as the process makes it.</summary>
    private static string Line(ActivityContext parent, DateTime start, TimeSpan duration)
    {
        var made = new Activity("epoch-under-test");
        made.SetParentId(parent.TraceId, parent.SpanId, parent.TraceFlags);
        made.SetStartTime(start);
        made.SetTag("orchestrator.epoch", 3).SetTag("orchestrator.validation_ua", 0.25).SetTag("orchestrator.best", true);
        made.Start();
        made.SetEndTime(start + duration);
        var line = RunSpans.Line(made);
        made.Stop();
        return line;
    }

    public void Dispose() => _listener.Dispose();
}
