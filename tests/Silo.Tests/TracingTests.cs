using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Orchestrator.Client.Cluster;
using Orchestrator.Contracts.Sweeps;
using Orchestrator.Silo.Hosting;
using Orchestrator.Silo.Telemetry;
using Xunit.Abstractions;

namespace Orchestrator.Silo.Tests;

/// <summary>
/// One trace per sweep, across processes: the client's submission, the coordinator's sweep and
/// configuration spans, the worker's run spans and the epoch spans each run process makes. The silo
/// runs in the test process (role both, as the embedded cluster) so the SDK's in-memory exporter sees
/// what it exports; the run processes are real <c>orchestrator train --json</c> children.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TracingTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private const string Key = "linear:T[width=16,max-epochs=3,patience=3]";

    [Fact]
    public async Task A_submitted_sweep_is_one_trace_from_the_client_span_down_to_the_epoch_spans_of_its_run_processes()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        var spans = new List<Activity>();
        var builder = await SiloHost.CreateBuilderAsync([], o => (o.Role, o.Database) = (SiloRole.Both, cluster.Database),
            w => (w.Name, w.Slots, w.Poll, w.RunCommand) = ("traced", 2, TimeSpan.FromMilliseconds(200), [SiloProcess.Dotnet, SiloProcess.Cli, "train", "--json", "--threads", "1"]));
        builder.Services.AddOpenTelemetry().WithTracing(t => t.AddOrchestratorSources().AddInMemoryExporter(spans));
        using var host = builder.Build();
        await host.StartAsync();
        var request = new SweepRequest("traced", fixture.Store.Directory, fixture.Store.Fingerprint, "{}", "name: traced\n", [2, 5], 1, 0,
            [new ConfigurationSpec(Key, "linear", "T")], []);

        var submitted = await SweepFollower.SubmitAsync(host.Services.GetRequiredService<IGrainFactory>(), request);
        await cluster.WaitForCompletionAsync(submitted.SweepId, TimeSpan.FromSeconds(120));
        await host.StopAsync();       // the in-memory exporter is simple, not batched: every ended span is in the list

        Activity[] finished;
        lock (spans) finished = [.. spans];
        var submit = Assert.Single(finished, s => s.DisplayName == "sweep submit");
        Assert.Equal(ActivityKind.Client, submit.Kind);
        var trace = finished.Where(s => s.TraceId == submit.TraceId).ToList();
        var byId = trace.ToDictionary(s => s.SpanId);
        bool Under(Activity span, Activity ancestor) =>
            span.ParentSpanId == ancestor.SpanId || (byId.TryGetValue(span.ParentSpanId, out var parent) && Under(parent, ancestor));
        var sweep = Assert.Single(trace, s => s.DisplayName == "sweep");
        Assert.True(Under(sweep, submit), "the coordinator's sweep span descends from the client's submit span (through Orleans' grain call spans)");
        Assert.Equal(submitted.SweepId, sweep.GetTagItem("orchestrator.sweep.id"));
        var configuration = Assert.Single(trace, s => s.DisplayName == "configuration");
        Assert.Equal(sweep.SpanId, configuration.ParentSpanId);
        Assert.Equal(Key, configuration.GetTagItem("orchestrator.configuration"));
        var runs = trace.Where(s => s.DisplayName == "run").ToList();
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal(configuration.SpanId, r.ParentSpanId));
        Assert.Equal([2, 5], runs.Select(r => (int)r.GetTagItem("orchestrator.fold")!).Order());

        // Epoch spans: made in the run processes (their process id, their own span ids), children of their run's span.
        var epochs = trace.Where(s => s.DisplayName == "epoch").ToList();
        Assert.Equal(6, epochs.Count);           // 2 runs x 3 epochs (patience 3 never stops a 3-epoch run early)
        Assert.DoesNotContain(finished, s => s.DisplayName == "epoch" && s.TraceId != submit.TraceId);
        foreach (var run in runs)
        {
            var own = epochs.Where(e => e.ParentSpanId == run.SpanId).OrderBy(e => e.StartTimeUtc).ToList();
            Assert.Equal([1L, 2L, 3L], own.Select(e => (long)e.GetTagItem("orchestrator.epoch")!));
            Assert.All(own, e =>
            {
                Assert.Equal(run.GetTagItem("orchestrator.run.id"), e.GetTagItem("orchestrator.run.id"));
                Assert.Equal((long)(int)run.GetTagItem("orchestrator.fold")!, e.GetTagItem("orchestrator.fold"));
                Assert.Equal(Key, e.GetTagItem("orchestrator.configuration"));
                Assert.NotEqual((long)Environment.ProcessId, e.GetTagItem("process.pid"));
                Assert.NotNull(e.GetTagItem("orchestrator.child.span_id"));
                Assert.InRange(e.StartTimeUtc, run.StartTimeUtc, run.StartTimeUtc + run.Duration);
                Assert.True(e.Duration > TimeSpan.Zero);
            });
            Assert.Single(own.Select(e => e.GetTagItem("process.pid")).Distinct());
            // Consecutive: each epoch starts where the one before ended.
            Assert.All(own.Zip(own.Skip(1)), p => Assert.True(p.Second.StartTimeUtc >= p.First.StartTimeUtc + p.First.Duration - TimeSpan.FromMilliseconds(1)));
        }
        output.WriteLine($"trace {submit.TraceId}: {trace.Count} spans ({string.Join(", ", trace.GroupBy(s => s.DisplayName).Select(g => $"{g.Count()} {g.Key}"))})");
    }
}
