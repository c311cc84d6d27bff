using System.Diagnostics;
using Orchestrator.Client.Rendering;
using Orchestrator.Contracts.Sweeps;
using Orchestrator.Silo.Telemetry;
using Spectre.Console;

namespace Orchestrator.Client.Cluster;

/// <summary>
/// Submits a sweep and follows it to its end, as <c>sweep submit</c> on the embedded cluster,
/// <c>cv</c> and the demo do: the live progress table while it runs, then the failed runs' reasons.
/// </summary>
public static class SweepFollower
{
    /// <summary>
    /// Submits <paramref name="request"/> and waits until every run of it has finished. Runs that
    /// finished before (in any sweep) are not run again. An interruption leaves the sweep active in the
    /// database: the runs under way are handed back, and the next submission of the same sweep resumes it.
    /// </summary>
    /// <returns>The sweep's id and its final status.</returns>
    public static async Task<(long SweepId, SweepStatus Status)> RunAsync(ClusterConnection cluster, SweepRequest request, CancellationToken cancellation)
    {
        var submitted = await SubmitAsync(cluster.Grains, request);
        Terminal.Error.MarkupLineInterpolated(
            $"Sweep [bold]{submitted.SweepId}[/] ({request.Name}): {submitted.Runs} runs, {submitted.AlreadyFinished} finished before, {submitted.Queued} to train.");
        var status = await SweepView.WatchAsync(cluster.Grains.GetGrain<ISweepGrain>(submitted.SweepId), cancellation);
        await ReportFailuresAsync(cluster, submitted.SweepId, cancellation);
        return (submitted.SweepId, status);
    }

    /// <summary>
    /// Submits <paramref name="request"/> to the sweep registry under a client span, <c>sweep submit</c>: the
    /// root of the sweep's trace. Orleans' activity propagation carries it into the grain call, whose
    /// <c>sweep</c> and <c>configuration</c> spans are stored with the sweep and become the parents of
    /// its runs' spans on the workers, whenever they lease them.
    /// </summary>
    public static async Task<SweepSubmitted> SubmitAsync(IGrainFactory grains, SweepRequest request)
    {
        using var span = OrchestratorTelemetry.Source.StartActivity("sweep submit", ActivityKind.Client);
        span?.SetTag("orchestrator.sweep.name", request.Name).SetTag("orchestrator.configurations", request.Configurations.Count);
        try
        {
            var submitted = await grains.GetGrain<ISweepRegistryGrain>(0).Submit(request);
            span?.SetTag("orchestrator.sweep.id", submitted.SweepId).SetTag("orchestrator.runs.queued", submitted.Queued);
            return submitted;
        }
        catch (Exception e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    /// <summary>Prints each failed run of the sweep with its reason and the last lines it printed.</summary>
    public static async Task ReportFailuresAsync(ClusterConnection cluster, long sweepId, CancellationToken cancellation)
    {
        var failed = (await cluster.Queue.RunsAsync(sweepId, cancellation)).Where(r => r.State == Database.RunStates.Failed).ToList();
        foreach (var run in failed.Take(3))
        {
            Terminal.Error.MarkupLineInterpolated($"[red]{run.ConfigurationKey} fold {run.Fold} repeat {run.Repeat} failed after {run.Attempts} attempt(s): {run.Error}[/]");
            if (!string.IsNullOrWhiteSpace(run.LogTail)) Terminal.Error.WriteLine(run.LogTail.TrimEnd());
        }
        if (failed.Count > 3) Terminal.Error.MarkupLineInterpolated($"[red]... and {failed.Count - 3} more failed runs (orchestrator results {sweepId} scores the others).[/]");
    }
}
